<?php
/**
 * Finds, creates and keeps in step the WordPress user of a HeadlessKey user.
 *
 * @package HeadlessKey_Bridge
 */

defined( 'ABSPATH' ) || exit;

/**
 * A HeadlessKey user's WordPress user: the one linked before (user meta), else the one with the
 * same ID and login (users imported from this site keep both) or the same email, as the site
 * chose; created when allowed, with the same ID when `map_by` is `id` and that ID is free.
 */
class HeadlessKey_Bridge_Users {

	/** User meta: the HeadlessKey user ID a WordPress user is linked to. */
	const LINK = 'headlesskey_bridge_id';

	/** User meta: set while HeadlessKey has the user disabled. */
	const DISABLED = 'headlesskey_bridge_disabled';

	/**
	 * The WordPress user of a HeadlessKey user, linked on first match.
	 *
	 * @param int         $hk_id HeadlessKey user ID.
	 * @param string|null $login HeadlessKey login, when known: an ID match must have the same login.
	 * @param string|null $email HeadlessKey email, when known.
	 * @return WP_User|WP_Error|null Null when there is none; WP_Error when the match is someone else.
	 */
	public static function find( $hk_id, $login = null, $email = null ) {
		$linked = get_users(
			array(
				'meta_key'   => self::LINK, // phpcs:ignore WordPress.DB.SlowDBQuery.slow_db_query_meta_key -- one indexed lookup.
				'meta_value' => (string) $hk_id, // phpcs:ignore WordPress.DB.SlowDBQuery.slow_db_query_meta_value -- one indexed lookup.
				'number'     => 1,
			)
		);
		if ( $linked ) {
			return $linked[0];
		}
		if ( 'id' === HeadlessKey_Bridge_Settings::get( 'map_by' ) ) {
			$user = get_user_by( 'id', $hk_id );
			if ( $user && null !== $login && 0 !== strcasecmp( $user->user_login, $login ) ) {
				return new WP_Error( 'headlesskey_bridge_user_conflict', __( 'This site\'s user with that ID has another login: it is not the HeadlessKey user.', 'headlesskey-bridge' ), array( 'status' => 409 ) );
			}
		} else {
			$user = null === $email ? false : get_user_by( 'email', $email );
		}
		if ( ! $user ) {
			return null;
		}
		update_user_meta( $user->ID, self::LINK, (string) $hk_id );
		return $user;
	}

	/**
	 * Creates the WordPress user of a HeadlessKey user. Its password is random and unused: the
	 * user signs in at HeadlessKey.
	 *
	 * @param int    $hk_id   HeadlessKey user ID.
	 * @param string $login   Login.
	 * @param string $email   Email.
	 * @param string $display Display name.
	 * @param array  $roles   HeadlessKey roles.
	 * @return WP_User|WP_Error
	 */
	public static function create( $hk_id, $login, $email, $display, array $roles ) {
		$conflict = new WP_Error( 'headlesskey_bridge_user_conflict', __( 'This site already has another user with that login, email or ID.', 'headlesskey-bridge' ), array( 'status' => 409 ) );
		if ( '' === $login || sanitize_user( $login, true ) !== $login ) {
			return new WP_Error( 'headlesskey_bridge_invalid_login', __( 'The HeadlessKey login is not one WordPress accepts.', 'headlesskey-bridge' ), array( 'status' => 422 ) );
		}
		if ( username_exists( $login ) || ( '' !== $email && email_exists( $email ) ) ) {
			return $conflict;
		}
		if ( 'id' === HeadlessKey_Bridge_Settings::get( 'map_by' ) ) {
			if ( get_user_by( 'id', $hk_id ) || ! self::insert_with_id( $hk_id, $login, $email ) ) {
				return $conflict;
			}
			$id = wp_update_user(
				array(
					'ID'           => $hk_id,
					'display_name' => $display,
					'nickname'     => $login,
				)
			);
		} else {
			$id = wp_insert_user(
				array(
					'user_login'   => $login,
					'user_email'   => $email,
					'user_pass'    => wp_generate_password( 32, true, true ),
					'display_name' => $display,
				)
			);
		}
		if ( is_wp_error( $id ) ) {
			return $id;
		}
		update_user_meta( $id, self::LINK, (string) $hk_id );
		$user = get_user_by( 'id', $id );
		self::set_roles( $user, $roles );
		return $user;
	}

	/**
	 * Gives the user the HeadlessKey roles this site knows, and only those.
	 *
	 * @param WP_User $user  The user.
	 * @param array   $roles HeadlessKey roles.
	 */
	public static function set_roles( WP_User $user, array $roles ) {
		$known = array_values( array_filter( $roles, array( wp_roles(), 'is_role' ) ) );
		$user->set_role( $known ? array_shift( $known ) : '' );
		foreach ( $known as $role ) {
			$user->add_role( $role );
		}
	}

	/**
	 * Marks the user disabled or not; disabling also ends their WordPress login sessions.
	 *
	 * @param WP_User $user     The user.
	 * @param bool    $disabled Whether HeadlessKey has them disabled.
	 */
	public static function set_disabled( WP_User $user, $disabled ) {
		if ( ! $disabled ) {
			delete_user_meta( $user->ID, self::DISABLED );
			return;
		}
		update_user_meta( $user->ID, self::DISABLED, '1' );
		WP_Session_Tokens::get_instance( $user->ID )->destroy_all();
	}

	/**
	 * Whether HeadlessKey has the user disabled.
	 *
	 * @param int $user_id WordPress user ID.
	 * @return bool
	 */
	public static function is_disabled( $user_id ) {
		return '1' === get_user_meta( $user_id, self::DISABLED, true );
	}

	/**
	 * Refuses a password login at this site to a user HeadlessKey has disabled.
	 *
	 * @param WP_User|WP_Error $user The user being authenticated.
	 * @return WP_User|WP_Error
	 */
	public static function refuse_disabled( $user ) {
		if ( $user instanceof WP_User && self::is_disabled( $user->ID ) ) {
			return new WP_Error( 'headlesskey_bridge_user_disabled', __( 'This account is disabled.', 'headlesskey-bridge' ) );
		}
		return $user;
	}

	/**
	 * Inserts the users row with a chosen ID, as the import keeps IDs: an explicit ID also moves
	 * the table's AUTO_INCREMENT past it, so users created here later never collide.
	 *
	 * @param int    $id    The ID.
	 * @param string $login Login.
	 * @param string $email Email.
	 * @return bool
	 */
	private static function insert_with_id( $id, $login, $email ) {
		global $wpdb;
		// phpcs:ignore WordPress.DB.DirectDatabaseQuery.DirectQuery -- wp_insert_user() cannot choose the ID.
		$inserted = $wpdb->insert(
			$wpdb->users,
			array(
				'ID'              => $id,
				'user_login'      => $login,
				'user_pass'       => wp_hash_password( wp_generate_password( 32, true, true ) ),
				'user_nicename'   => mb_substr( sanitize_title( $login ), 0, 50 ),
				'user_email'      => $email,
				'user_registered' => gmdate( 'Y-m-d H:i:s' ),
				'display_name'    => $login,
			),
			array( '%d', '%s', '%s', '%s', '%s', '%s', '%s' )
		);
		clean_user_cache( $id );
		return 1 === $inserted;
	}
}
