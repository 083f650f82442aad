<?php
/**
 * Picks the public key of a token from a JWKS.
 *
 * @package HeadlessKey_Bridge
 */

defined( 'ABSPATH' ) || exit;

/**
 * A JWKS key for a token's `kid` and `alg`, as a PEM: RS256 only with an RSA key, ES256 only with
 * a P-256 key, and never a symmetric key, so no token can choose how its key is used.
 */
class HeadlessKey_Bridge_Jwk {

	/**
	 * The PEM of the key named `kid`, when it fits `alg`.
	 *
	 * @param array  $keys The JWKS `keys` member.
	 * @param string $alg  RS256 or ES256.
	 * @param string $kid  The token's key id.
	 * @return string|null
	 */
	public static function pem_for( array $keys, $alg, $kid ) {
		foreach ( $keys as $jwk ) {
			if ( is_array( $jwk ) && isset( $jwk['kid'] ) && $jwk['kid'] === $kid ) {
				return self::fits( $jwk, $alg ) ? self::pem( $jwk ) : null;
			}
		}
		return null;
	}

	/**
	 * Whether any key is named `kid`.
	 *
	 * @param array  $keys The JWKS `keys` member.
	 * @param string $kid  A key id.
	 * @return bool
	 */
	public static function has( array $keys, $kid ) {
		foreach ( $keys as $jwk ) {
			if ( is_array( $jwk ) && isset( $jwk['kid'] ) && $jwk['kid'] === $kid ) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Whether a JWK may verify `alg`: its type and curve, its own `alg` and `use` when given.
	 *
	 * @param array  $jwk A JWK.
	 * @param string $alg RS256 or ES256.
	 * @return bool
	 */
	private static function fits( array $jwk, $alg ) {
		if ( isset( $jwk['alg'] ) && $jwk['alg'] !== $alg ) {
			return false;
		}
		if ( isset( $jwk['use'] ) && 'sig' !== $jwk['use'] ) {
			return false;
		}
		$kty = isset( $jwk['kty'] ) ? $jwk['kty'] : '';
		if ( 'RS256' === $alg ) {
			return 'RSA' === $kty;
		}
		return 'ES256' === $alg && 'EC' === $kty && isset( $jwk['crv'] ) && 'P-256' === $jwk['crv'];
	}

	/**
	 * The PEM of an RSA or P-256 JWK.
	 *
	 * @param array $jwk A JWK that fits its algorithm.
	 * @return string|null
	 */
	private static function pem( array $jwk ) {
		$members = 'RSA' === $jwk['kty'] ? array( 'n', 'e' ) : array( 'x', 'y' );
		$bytes   = array();
		foreach ( $members as $name ) {
			$value = isset( $jwk[ $name ] ) && is_string( $jwk[ $name ] ) ? HeadlessKey_Bridge_Jwt::b64url_decode( $jwk[ $name ] ) : null;
			if ( null === $value || '' === $value ) {
				return null;
			}
			$bytes[] = $value;
		}
		if ( 'RSA' === $jwk['kty'] ) {
			return HeadlessKey_Bridge_Der::rsa_pem( $bytes[0], $bytes[1] );
		}
		return HeadlessKey_Bridge_Der::p256_pem( $bytes[0], $bytes[1] );
	}
}
