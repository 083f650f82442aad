<?php
/**
 * Settings → HeadlessKey.
 *
 * @package HeadlessKey_Bridge
 */

defined( 'ABSPATH' ) || exit;

/**
 * The settings page, on the Settings API: options.php checks the nonce and `manage_options`
 * before anything is saved, and every value goes through its sanitize callback.
 */
class HeadlessKey_Bridge_Admin {

	/** The page slug. */
	const PAGE = 'headlesskey-bridge';

	/**
	 * Adds the page under Settings.
	 */
	public static function add_page() {
		add_options_page( __( 'HeadlessKey', 'headlesskey-bridge' ), __( 'HeadlessKey', 'headlesskey-bridge' ), 'manage_options', self::PAGE, array( __CLASS__, 'render' ) );
	}

	/**
	 * Declares the page's sections and fields.
	 */
	public static function add_fields() {
		add_settings_section( 'headlesskey_bridge_server', __( 'HeadlessKey server', 'headlesskey-bridge' ), '__return_false', self::PAGE );
		add_settings_section( 'headlesskey_bridge_users', __( 'Users', 'headlesskey-bridge' ), '__return_false', self::PAGE );
		add_settings_section( 'headlesskey_bridge_webhooks', __( 'Webhooks', 'headlesskey-bridge' ), array( __CLASS__, 'webhook_help' ), self::PAGE );
		$fields = array(
			'url'            => array( 'server', __( 'HeadlessKey URL', 'headlesskey-bridge' ), 'text', __( 'Where HeadlessKey answers, e.g. https://auth.example.com (its JWKS is read from /.well-known/jwks.json there).', 'headlesskey-bridge' ) ),
			'namespace'      => array( 'server', __( 'REST namespace', 'headlesskey-bridge' ), 'text', __( 'HeadlessKey\'s REST namespace and version, headlesskey/v1 unless HEADLESSKEY_REST_NAMESPACE says otherwise.', 'headlesskey-bridge' ) ),
			'issuer'         => array( 'server', __( 'Issuer (iss)', 'headlesskey-bridge' ), 'text', __( 'HeadlessKey\'s HEADLESSKEY_ISSUER, exactly.', 'headlesskey-bridge' ) ),
			'audience'       => array( 'server', __( 'Audience (aud)', 'headlesskey-bridge' ), 'text', __( 'HeadlessKey\'s HEADLESSKEY_AUDIENCE (headlesskey by default).', 'headlesskey-bridge' ) ),
			'algorithm'      => array( 'server', __( 'Token signatures', 'headlesskey-bridge' ), 'algorithm', '' ),
			'secret'         => array( 'server', __( 'HS256 shared secret', 'headlesskey-bridge' ), 'secret', __( 'HeadlessKey\'s HEADLESSKEY_SECRET_KEY; only for HS256.', 'headlesskey-bridge' ) ),
			'jwks_refetch'   => array( 'server', __( 'Key refetch interval (seconds)', 'headlesskey-bridge' ), 'number', __( 'A token naming an unknown key fetches the JWKS again at most this often.', 'headlesskey-bridge' ) ),
			'online'         => array( 'server', __( 'Online validation', 'headlesskey-bridge' ), 'checkbox', __( 'Ask HeadlessKey about each token (/token/validate), so a revoked token is refused at once. A yes is reused for 5 seconds at most.', 'headlesskey-bridge' ) ),
			'map_by'         => array( 'users', __( 'Match users by', 'headlesskey-bridge' ), 'map_by', '' ),
			'create_users'   => array( 'users', __( 'Create missing users', 'headlesskey-bridge' ), 'checkbox', __( 'Create the WordPress user of a valid token that has none here.', 'headlesskey-bridge' ) ),
			'webhook_secret' => array( 'webhooks', __( 'Webhook secret', 'headlesskey-bridge' ), 'secret', __( 'The whsec_ secret HeadlessKey showed when the webhook was created.', 'headlesskey-bridge' ) ),
		);
		foreach ( $fields as $name => $field ) {
			add_settings_field(
				'headlesskey_bridge_' . $name,
				$field[1],
				array( __CLASS__, 'render_field' ),
				self::PAGE,
				'headlesskey_bridge_' . $field[0],
				array(
					'name'        => $name,
					'kind'        => $field[2],
					'description' => $field[3],
					'label_for'   => 'headlesskey_bridge_' . $name,
				)
			);
		}
	}

	/**
	 * The page.
	 */
	public static function render() {
		if ( ! current_user_can( 'manage_options' ) ) {
			return;
		}
		echo '<div class="wrap"><h1>' . esc_html( get_admin_page_title() ) . '</h1>';
		settings_errors( 'headlesskey_bridge_webhook_secret' );
		echo '<form action="options.php" method="post">';
		settings_fields( HeadlessKey_Bridge_Settings::GROUP );
		do_settings_sections( self::PAGE );
		submit_button();
		echo '</form></div>';
	}

	/**
	 * The webhook section's help: the URL to give HeadlessKey.
	 */
	public static function webhook_help() {
		echo '<p>' . esc_html__( 'Create a webhook at HeadlessKey with this URL and the user events (user.registered, user.updated, user.roles_changed, user.disabled, user.enabled, user.deleted):', 'headlesskey-bridge' ) . '</p>';
		echo '<p><code>' . esc_html( rest_url( HeadlessKey_Bridge_Webhook::REST_NAMESPACE . '/webhook' ) ) . '</code></p>';
	}

	/**
	 * One field. Secret fields are always empty: the page says whether a secret is set, never what it is.
	 *
	 * @param array $args The field's name, kind and description.
	 */
	public static function render_field( array $args ) {
		$id    = 'headlesskey_bridge_' . $args['name'];
		$value = HeadlessKey_Bridge_Settings::get( $args['name'] );
		switch ( $args['kind'] ) {
			case 'secret':
				printf( '<input type="password" id="%1$s" name="%1$s" value="" class="regular-text" autocomplete="new-password" />', esc_attr( $id ) );
				$state = '' === $value ? __( 'No secret is set.', 'headlesskey-bridge' ) : __( 'A secret is set; leave empty to keep it.', 'headlesskey-bridge' );
				echo '<p class="description">' . esc_html( $state ) . '</p>';
				break;
			case 'checkbox':
				printf( '<input type="checkbox" id="%1$s" name="%1$s" value="1" %2$s />', esc_attr( $id ), checked( (bool) $value, true, false ) );
				break;
			case 'number':
				printf( '<input type="number" id="%1$s" name="%1$s" value="%2$s" min="1" class="small-text" />', esc_attr( $id ), esc_attr( $value ) );
				break;
			case 'algorithm':
				self::select( $id, $value, array( 'jwks' => __( 'RS256 / ES256: public keys from HeadlessKey\'s JWKS', 'headlesskey-bridge' ), 'hs256' => __( 'HS256: shared secret', 'headlesskey-bridge' ) ) );
				break;
			case 'map_by':
				self::select( $id, $value, array( 'id' => __( 'ID (users imported from this site keep their IDs)', 'headlesskey-bridge' ), 'email' => __( 'Email', 'headlesskey-bridge' ) ) );
				break;
			default:
				printf( '<input type="text" id="%1$s" name="%1$s" value="%2$s" class="regular-text" />', esc_attr( $id ), esc_attr( $value ) );
		}
		if ( '' !== $args['description'] ) {
			echo '<p class="description">' . esc_html( $args['description'] ) . '</p>';
		}
	}

	/**
	 * A select box.
	 *
	 * @param string $id      Field id and name.
	 * @param string $value   Current value.
	 * @param array  $choices Value => label.
	 */
	private static function select( $id, $value, array $choices ) {
		printf( '<select id="%1$s" name="%1$s">', esc_attr( $id ) );
		foreach ( $choices as $choice => $label ) {
			printf( '<option value="%1$s" %2$s>%3$s</option>', esc_attr( $choice ), selected( $value, $choice, false ), esc_html( $label ) );
		}
		echo '</select>';
	}
}
