<?php
/**
 * What each HeadlessKey event does to the WordPress user.
 *
 * @package HeadlessKey_Bridge
 */

defined( 'ABSPATH' ) || exit;

/**
 * Applies one user event: registered (or imported) creates, updated changes email and display
 * name, roles_changed sets the roles, disabled and enabled block and unblock, deleted deletes.
 */
class HeadlessKey_Bridge_Sync {

	/**
	 * Applies an event.
	 *
	 * @param string $type  Event type.
	 * @param int    $hk_id HeadlessKey user ID.
	 * @param array  $data  Event data.
	 * @return string|WP_Error What was done.
	 */
	public static function apply( $type, $hk_id, array $data ) {
		$login = isset( $data['user_login'] ) ? (string) $data['user_login'] : null;
		$email = isset( $data['user_email'] ) ? (string) $data['user_email'] : null;
		$user  = HeadlessKey_Bridge_Users::find( $hk_id, $login, $email );
		if ( is_wp_error( $user ) ) {
			return $user;
		}
		if ( in_array( $type, array( 'user.registered', 'user.imported' ), true ) ) {
			return null === $user ? self::create( $hk_id, $data ) : 'exists';
		}
		if ( null === $user ) {
			return 'unknown user';
		}
		switch ( $type ) {
			case 'user.updated':
				return self::update( $user, $data );
			case 'user.roles_changed':
				HeadlessKey_Bridge_Users::set_roles( $user, self::roles( $data ) );
				return 'roles set';
			case 'user.disabled':
			case 'user.enabled':
				HeadlessKey_Bridge_Users::set_disabled( $user, 'user.disabled' === $type );
				return 'user.disabled' === $type ? 'disabled' : 'enabled';
			case 'user.deleted':
				require_once ABSPATH . 'wp-admin/includes/user.php';
				return wp_delete_user( $user->ID ) ? 'deleted' : new WP_Error( 'headlesskey_bridge_not_deleted', __( 'The user could not be deleted.', 'headlesskey-bridge' ), array( 'status' => 500 ) );
		}
		return 'ignored';
	}

	/**
	 * Creates the user of a registration.
	 *
	 * @param int   $hk_id HeadlessKey user ID.
	 * @param array $data  Event data.
	 * @return string|WP_Error
	 */
	private static function create( $hk_id, array $data ) {
		$login   = isset( $data['user_login'] ) ? (string) $data['user_login'] : '';
		$email   = isset( $data['user_email'] ) ? (string) $data['user_email'] : '';
		$display = isset( $data['display_name'] ) && '' !== $data['display_name'] ? (string) $data['display_name'] : $login;
		$user    = HeadlessKey_Bridge_Users::create( $hk_id, $login, $email, $display, self::roles( $data ) );
		return is_wp_error( $user ) ? $user : 'created';
	}

	/**
	 * Changes the email and display name an update names.
	 *
	 * @param WP_User $user The user.
	 * @param array   $data Event data.
	 * @return string|WP_Error
	 */
	private static function update( WP_User $user, array $data ) {
		$changes = array( 'ID' => $user->ID );
		if ( isset( $data['user_email'] ) ) {
			$changes['user_email'] = sanitize_email( $data['user_email'] );
		}
		if ( isset( $data['display_name'] ) ) {
			$changes['display_name'] = sanitize_text_field( $data['display_name'] );
		}
		// HeadlessKey has told the user already; WordPress's own notice would be a second one.
		add_filter( 'send_email_change_email', '__return_false' );
		$updated = wp_update_user( $changes );
		remove_filter( 'send_email_change_email', '__return_false' );
		if ( is_wp_error( $updated ) ) {
			$updated->add_data( array( 'status' => 409 ) );
			return $updated;
		}
		return 'updated';
	}

	/**
	 * The event's roles.
	 *
	 * @param array $data Event data.
	 * @return string[]
	 */
	private static function roles( array $data ) {
		return isset( $data['roles'] ) && is_array( $data['roles'] ) ? array_map( 'strval', $data['roles'] ) : array();
	}
}
