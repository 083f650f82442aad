<?php
/**
 * Bearer authentication with HeadlessKey tokens.
 *
 * @package HeadlessKey_Bridge
 */

defined( 'ABSPATH' ) || exit;

/**
 * A request with `Authorization: Bearer <token>` is that token's user or nobody: a refused token
 * leaves the request unauthenticated (no fallback to the cookie) and a REST request is answered
 * 401 with the reason. Requests without a bearer token are left to WordPress.
 */
class HeadlessKey_Bridge_Auth {

	/**
	 * This request's outcome: a WordPress user ID, a WP_Error, or null before it is known.
	 *
	 * @var int|WP_Error|null
	 */
	private static $outcome = null;

	/**
	 * Whether the outcome is being worked out.
	 *
	 * @var bool
	 */
	private static $working = false;

	/**
	 * `determine_current_user`, late so it overrides a cookie when a bearer token is sent.
	 *
	 * @param int|false $user_id The user found so far.
	 * @return int|false
	 */
	public static function determine_current_user( $user_id ) {
		if ( null === self::bearer_token() ) {
			return $user_id;
		}
		$outcome = self::outcome();
		return is_wp_error( $outcome ) ? false : $outcome;
	}

	/**
	 * `rest_authentication_errors`: the refusal of a bearer token, or true for an accepted one.
	 *
	 * @param WP_Error|null|true $result An earlier outcome.
	 * @return WP_Error|null|true
	 */
	public static function rest_authentication_errors( $result ) {
		if ( ! empty( $result ) || null === self::bearer_token() ) {
			return $result;
		}
		$outcome = self::outcome();
		return is_wp_error( $outcome ) ? $outcome : true;
	}

	/**
	 * The bearer token of the request, if any.
	 *
	 * @return string|null
	 */
	public static function bearer_token() {
		$header = '';
		foreach ( array( 'HTTP_AUTHORIZATION', 'REDIRECT_HTTP_AUTHORIZATION' ) as $name ) {
			if ( ! empty( $_SERVER[ $name ] ) ) {
				$header = sanitize_text_field( wp_unslash( $_SERVER[ $name ] ) );
				break;
			}
		}
		return preg_match( '/^Bearer\s+(\S+)$/i', $header, $match ) ? $match[1] : null;
	}

	/**
	 * The outcome of this request's token, worked out once.
	 *
	 * @return int|WP_Error
	 */
	private static function outcome() {
		if ( null !== self::$outcome ) {
			return self::$outcome;
		}
		if ( self::$working ) {
			// Creating a user runs hooks that ask for the current user again: until the token's
			// user is complete (roles included), the answer is nobody.
			return new WP_Error( 'headlesskey_bridge_pending', __( 'The token is being checked.', 'headlesskey-bridge' ), array( 'status' => 401 ) );
		}
		self::$working = true;
		self::$outcome = self::authenticate( self::bearer_token() );
		self::$working = false;
		return self::$outcome;
	}

	/**
	 * The WordPress user of a token: verified here, then (when asked) checked live at HeadlessKey,
	 * then mapped to its WordPress user.
	 *
	 * @param string $token The token.
	 * @return int|WP_Error
	 */
	public static function authenticate( $token ) {
		if ( '' === HeadlessKey_Bridge_Settings::get( 'url' ) || '' === HeadlessKey_Bridge_Settings::get( 'issuer' ) ) {
			return new WP_Error( 'headlesskey_bridge_not_configured', __( 'HeadlessKey tokens are not accepted yet: the HeadlessKey URL and issuer are not set.', 'headlesskey-bridge' ), array( 'status' => 401 ) );
		}
		try {
			$claims = HeadlessKey_Bridge_Jwt::verify(
				$token,
				array(
					'algorithms' => 'hs256' === HeadlessKey_Bridge_Settings::get( 'algorithm' ) ? array( 'HS256' ) : array( 'RS256', 'ES256' ),
					'key'        => array( 'HeadlessKey_Bridge_Keys', 'key_for' ),
					'issuer'     => HeadlessKey_Bridge_Settings::get( 'issuer' ),
					'audience'   => HeadlessKey_Bridge_Settings::get( 'audience' ),
					'now'        => time(),
				)
			);
			if ( HeadlessKey_Bridge_Settings::get( 'online' ) ) {
				HeadlessKey_Bridge_Online::check( $token, $claims );
			}
		} catch ( HeadlessKey_Bridge_Token_Error $refused ) {
			$status = 'unavailable' === $refused->reason ? 503 : 401;
			return new WP_Error( 'headlesskey_bridge_' . $refused->reason, $refused->getMessage(), array( 'status' => $status ) );
		}
		return self::user_of( $claims );
	}

	/**
	 * The WordPress user a verified token stands for.
	 *
	 * @param array $claims Verified claims.
	 * @return int|WP_Error
	 */
	private static function user_of( array $claims ) {
		$hk_id = HeadlessKey_Bridge_Jwt::user_id( $claims );
		$login = isset( $claims['data']['user_login'] ) ? (string) $claims['data']['user_login'] : '';
		$email = isset( $claims['email'] ) ? (string) $claims['email'] : '';
		$user  = HeadlessKey_Bridge_Users::find( $hk_id, $login, $email );
		if ( null === $user && HeadlessKey_Bridge_Settings::get( 'create_users' ) ) {
			$roles = isset( $claims['data']['roles'] ) && is_array( $claims['data']['roles'] ) ? $claims['data']['roles'] : array();
			$user  = HeadlessKey_Bridge_Users::create( $hk_id, $login, $email, $login, $roles );
		}
		if ( null === $user ) {
			return new WP_Error( 'headlesskey_bridge_unknown_user', __( 'The token\'s user has no account on this site.', 'headlesskey-bridge' ), array( 'status' => 401 ) );
		}
		if ( is_wp_error( $user ) ) {
			$user->add_data( array( 'status' => 401 ) );
			return $user;
		}
		if ( HeadlessKey_Bridge_Users::is_disabled( $user->ID ) ) {
			return new WP_Error( 'headlesskey_bridge_user_disabled', __( 'This account is disabled.', 'headlesskey-bridge' ), array( 'status' => 401 ) );
		}
		return $user->ID;
	}
}
