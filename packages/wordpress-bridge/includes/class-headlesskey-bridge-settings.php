<?php
/**
 * The bridge's options, their defaults and how each is cleaned before it is stored.
 *
 * @package HeadlessKey_Bridge
 */

defined( 'ABSPATH' ) || exit;

/**
 * Every option lives under `headlesskey_bridge_<name>`. The two secrets are write-only: an empty
 * submission keeps the stored value, and no screen ever prints one back.
 */
class HeadlessKey_Bridge_Settings {

	/** The settings group the page submits. */
	const GROUP = 'headlesskey_bridge';

	/** Options that hold a secret. */
	const SECRETS = array( 'secret', 'webhook_secret' );

	/**
	 * Each option's default.
	 *
	 * @return array
	 */
	public static function defaults() {
		return array(
			'url'            => '',
			'namespace'      => 'headlesskey/v1',
			'issuer'         => '',
			'audience'       => 'headlesskey',
			'algorithm'      => 'jwks',
			'secret'         => '',
			'online'         => false,
			'map_by'         => 'id',
			'create_users'   => false,
			'webhook_secret' => '',
			'jwks_refetch'   => 300,
		);
	}

	/**
	 * One option's value.
	 *
	 * @param string $name Option name without the prefix.
	 * @return mixed
	 */
	public static function get( $name ) {
		$defaults = self::defaults();
		return get_option( 'headlesskey_bridge_' . $name, $defaults[ $name ] );
	}

	/**
	 * Registers every option with its sanitize callback, so each write is cleaned, from any caller.
	 */
	public static function register() {
		foreach ( self::defaults() as $name => $default ) {
			register_setting(
				self::GROUP,
				'headlesskey_bridge_' . $name,
				array(
					'type'              => is_bool( $default ) ? 'boolean' : ( is_int( $default ) ? 'integer' : 'string' ),
					'default'           => $default,
					'show_in_rest'      => false,
					'sanitize_callback' => function ( $value ) use ( $name ) {
						return HeadlessKey_Bridge_Settings::sanitize( $name, $value );
					},
				)
			);
		}
	}

	/**
	 * The value to store for a submitted one.
	 *
	 * @param string $name  Option name without the prefix.
	 * @param mixed  $value Submitted value.
	 * @return mixed
	 */
	public static function sanitize( $name, $value ) {
		$text = is_scalar( $value ) ? trim( (string) $value ) : '';
		switch ( $name ) {
			case 'url':
				return untrailingslashit( esc_url_raw( $text, array( 'http', 'https' ) ) );
			case 'namespace':
				$clean = trim( preg_replace( '#[^A-Za-z0-9_/-]#', '', $text ), '/' );
				return '' === $clean ? 'headlesskey/v1' : $clean;
			case 'issuer':
			case 'audience':
				return sanitize_text_field( $text );
			case 'algorithm':
				return 'hs256' === $text ? 'hs256' : 'jwks';
			case 'map_by':
				return 'email' === $text ? 'email' : 'id';
			case 'online':
			case 'create_users':
				return in_array( $value, array( true, 1, '1', 'on', 'yes' ), true );
			case 'jwks_refetch':
				return max( 1, min( DAY_IN_SECONDS, absint( $text ) ) );
			case 'secret':
				return '' === $text ? self::get( 'secret' ) : $text;
			case 'webhook_secret':
				return self::webhook_secret( $text );
		}
		return '';
	}

	/**
	 * A webhook secret: empty keeps the stored one; anything but a `whsec_` secret is refused.
	 *
	 * @param string $text Submitted value.
	 * @return string
	 */
	private static function webhook_secret( $text ) {
		if ( '' === $text ) {
			return self::get( 'webhook_secret' );
		}
		if ( null === HeadlessKey_Bridge_Webhook_Signature::key( $text ) ) {
			if ( function_exists( 'add_settings_error' ) ) {
				add_settings_error( 'headlesskey_bridge_webhook_secret', 'headlesskey_bridge_webhook_secret', __( 'The webhook secret must be the whsec_ secret HeadlessKey showed when the webhook was created; the stored one was kept.', 'headlesskey-bridge' ) );
			}
			return self::get( 'webhook_secret' );
		}
		return $text;
	}
}
