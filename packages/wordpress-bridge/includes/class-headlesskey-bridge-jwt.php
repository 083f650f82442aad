<?php
/**
 * Compact JWS verification with PHP's own openssl and hash functions.
 *
 * @package HeadlessKey_Bridge
 */

defined( 'ABSPATH' ) || exit;

/**
 * Verifies a HeadlessKey token: the algorithm must be one the site allows (never `none`), the key
 * comes from the site (never from the token), then the signature, `iss`, `aud`, `exp` and `nbf`.
 */
class HeadlessKey_Bridge_Jwt {

	/** Seconds of clock difference tolerated for `exp`, `nbf` and `iat`. */
	const LEEWAY = 10;

	/** No HeadlessKey token is anywhere near this long. */
	const MAX_LENGTH = 8192;

	/** Header parameters refused: a key carried or pointed to (keys come from the site), and `crit`. */
	const REFUSED_HEADERS = array( 'jwk', 'jku', 'x5u', 'x5c', 'x5t', 'x5t#S256', 'crit' );

	/**
	 * Verifies a token and returns its claims.
	 *
	 * @param string $token   The compact JWS.
	 * @param array  $options {
	 *     @type string[] $algorithms Algorithms allowed (HS256, RS256, ES256).
	 *     @type callable $key        Called with ( $alg, $kid ): the HS256 secret or the public key PEM, or null.
	 *     @type string   $issuer     Expected `iss`.
	 *     @type string   $audience   Expected `aud`.
	 *     @type int      $now        Current time (seconds).
	 * }
	 * @return array The claims.
	 * @throws HeadlessKey_Bridge_Token_Error When the token is refused.
	 */
	public static function verify( $token, array $options ) {
		$parts = explode( '.', (string) $token );
		if ( strlen( $token ) > self::MAX_LENGTH || 3 !== count( $parts ) ) {
			throw new HeadlessKey_Bridge_Token_Error( 'malformed', 'The token is not a signed JWT.' );
		}
		$header    = self::json_part( $parts[0] );
		$claims    = self::json_part( $parts[1] );
		$signature = self::b64url_decode( $parts[2] );
		if ( null === $header || null === $claims || null === $signature || '' === $signature ) {
			throw new HeadlessKey_Bridge_Token_Error( 'malformed', 'The token is not a signed JWT.' );
		}
		$alg = isset( $header['alg'] ) ? $header['alg'] : null;
		if ( ! is_string( $alg ) || ! in_array( $alg, $options['algorithms'], true ) ) {
			throw new HeadlessKey_Bridge_Token_Error( 'algorithm', 'The token is signed with an algorithm this site does not accept.' );
		}
		if ( array_intersect( self::REFUSED_HEADERS, array_keys( $header ) ) ) {
			throw new HeadlessKey_Bridge_Token_Error( 'malformed', 'The token names its own key, which is never trusted.' );
		}
		$kid = isset( $header['kid'] ) && is_string( $header['kid'] ) ? $header['kid'] : null;
		$key = call_user_func( $options['key'], $alg, $kid );
		if ( null === $key ) {
			throw new HeadlessKey_Bridge_Token_Error( 'unknown_key', 'The token is signed with a key HeadlessKey does not publish.' );
		}
		if ( ! self::signature_holds( $alg, $parts[0] . '.' . $parts[1], $signature, $key ) ) {
			throw new HeadlessKey_Bridge_Token_Error( 'signature', 'The token signature does not verify.' );
		}
		self::check_claims( $claims, $options );
		return $claims;
	}

	/**
	 * The WordPress user ID a token names: `data.ID`, which is also `sub`.
	 *
	 * @param array $claims Verified claims.
	 * @return int 0 when the token names no user.
	 */
	public static function user_id( array $claims ) {
		$id  = isset( $claims['data']['ID'] ) ? $claims['data']['ID'] : null;
		$sub = isset( $claims['sub'] ) ? (string) $claims['sub'] : '';
		if ( ! is_int( $id ) || $id < 1 || (string) $id !== $sub ) {
			return 0;
		}
		return $id;
	}

	/**
	 * Base64url without padding, refused unless it is the one canonical spelling of its bytes.
	 *
	 * @param string $part An encoded segment.
	 * @return string|null
	 */
	public static function b64url_decode( $part ) {
		if ( ! preg_match( '/^[A-Za-z0-9_-]*$/', $part ) ) {
			return null;
		}
		// phpcs:ignore WordPress.PHP.DiscouragedPHPFunctions.obfuscation_base64_decode -- JWS segments are base64url.
		$bytes = base64_decode( strtr( $part, '-_', '+/' ), true );
		if ( false === $bytes || self::b64url_encode( $bytes ) !== $part ) {
			return null;
		}
		return $bytes;
	}

	/**
	 * Base64url without padding.
	 *
	 * @param string $bytes Raw bytes.
	 * @return string
	 */
	public static function b64url_encode( $bytes ) {
		// phpcs:ignore WordPress.PHP.DiscouragedPHPFunctions.obfuscation_base64_encode -- JWS segments are base64url.
		return rtrim( strtr( base64_encode( $bytes ), '+/', '-_' ), '=' );
	}

	/**
	 * A segment decoded as a JSON object.
	 *
	 * @param string $part An encoded segment.
	 * @return array|null
	 */
	private static function json_part( $part ) {
		$json  = self::b64url_decode( $part );
		$value = null === $json ? null : json_decode( $json, true );
		return is_array( $value ) ? $value : null;
	}

	/**
	 * Whether the signature over `header.payload` holds under the key, for that algorithm only.
	 *
	 * @param string $alg       HS256, RS256 or ES256.
	 * @param string $input     The signed input.
	 * @param string $signature Raw signature bytes.
	 * @param string $key       The HS256 secret or the public key PEM.
	 * @return bool
	 */
	private static function signature_holds( $alg, $input, $signature, $key ) {
		if ( 'HS256' === $alg ) {
			return '' !== $key && hash_equals( hash_hmac( 'sha256', $input, $key, true ), $signature );
		}
		if ( 'ES256' === $alg ) {
			$signature = HeadlessKey_Bridge_Der::ecdsa_signature( $signature );
			if ( null === $signature ) {
				return false;
			}
		}
		$public = openssl_pkey_get_public( $key );
		return false !== $public && 1 === openssl_verify( $input, $signature, $public, OPENSSL_ALGO_SHA256 );
	}

	/**
	 * Checks `iss`, `aud`, `exp`, `nbf` and `iat`.
	 *
	 * @param array $claims  The claims.
	 * @param array $options See verify().
	 * @throws HeadlessKey_Bridge_Token_Error When a claim does not hold.
	 */
	private static function check_claims( array $claims, array $options ) {
		$now = $options['now'];
		if ( ! isset( $claims['iss'] ) || $claims['iss'] !== $options['issuer'] ) {
			throw new HeadlessKey_Bridge_Token_Error( 'claims', 'The token was issued by someone else (iss).' );
		}
		$audience = isset( $claims['aud'] ) ? (array) $claims['aud'] : array();
		if ( ! in_array( $options['audience'], $audience, true ) ) {
			throw new HeadlessKey_Bridge_Token_Error( 'claims', 'The token is meant for someone else (aud).' );
		}
		if ( ! isset( $claims['exp'] ) || ! is_int( $claims['exp'] ) ) {
			throw new HeadlessKey_Bridge_Token_Error( 'claims', 'The token has no expiry (exp).' );
		}
		if ( $claims['exp'] + self::LEEWAY <= $now ) {
			throw new HeadlessKey_Bridge_Token_Error( 'expired', 'The token has expired.' );
		}
		foreach ( array( 'nbf', 'iat' ) as $name ) {
			if ( isset( $claims[ $name ] ) && ( ! is_int( $claims[ $name ] ) || $claims[ $name ] > $now + self::LEEWAY ) ) {
				throw new HeadlessKey_Bridge_Token_Error( 'claims', 'nbf' === $name ? 'The token is not valid yet (nbf).' : 'The token was issued in the future (iat).' );
			}
		}
		if ( 0 === self::user_id( $claims ) ) {
			throw new HeadlessKey_Bridge_Token_Error( 'claims', 'The token names no user.' );
		}
	}
}
