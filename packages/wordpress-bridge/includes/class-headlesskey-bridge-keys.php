<?php
/**
 * HeadlessKey's public keys, fetched from its JWKS and cached.
 *
 * @package HeadlessKey_Bridge
 */

defined( 'ABSPATH' ) || exit;

/**
 * The key a token names: from the cached JWKS, which is fetched again when a token names a key it
 * does not hold (a rotation), at most once every `jwks_refetch` seconds so unknown `kid`s cannot
 * turn this site into a flood against HeadlessKey.
 */
class HeadlessKey_Bridge_Keys {

	/** Transient holding the JWKS `keys`. */
	const CACHE = 'headlesskey_bridge_jwks';

	/** Transient marking a recent fetch. */
	const THROTTLE = 'headlesskey_bridge_jwks_fetched';

	/**
	 * The verification key for a token's header: the secret for HS256, a PEM for RS256/ES256.
	 *
	 * @param string      $alg Algorithm, already on the allow-list.
	 * @param string|null $kid Key id.
	 * @return string|null
	 */
	public static function key_for( $alg, $kid ) {
		if ( 'HS256' === $alg ) {
			$secret = (string) HeadlessKey_Bridge_Settings::get( 'secret' );
			return '' === $secret ? null : $secret;
		}
		if ( null === $kid ) {
			return null;
		}
		$keys = get_transient( self::CACHE );
		if ( ! is_array( $keys ) || ! HeadlessKey_Bridge_Jwk::has( $keys, $kid ) ) {
			$fetched = self::refetch();
			$keys    = null === $fetched ? ( is_array( $keys ) ? $keys : array() ) : $fetched;
		}
		return HeadlessKey_Bridge_Jwk::pem_for( $keys, $alg, $kid );
	}

	/**
	 * The JWKS URL: `/.well-known/jwks.json` at the root of the HeadlessKey URL.
	 *
	 * @return string
	 */
	public static function jwks_url() {
		return HeadlessKey_Bridge_Settings::get( 'url' ) . '/.well-known/jwks.json';
	}

	/**
	 * Fetches the JWKS unless it was fetched within the throttle window.
	 *
	 * @return array|null The keys, or null when not fetched or unusable.
	 */
	private static function refetch() {
		$interval = (int) HeadlessKey_Bridge_Settings::get( 'jwks_refetch' );
		$last     = (int) get_transient( self::THROTTLE );
		// Compared with the interval in force now, so shortening it takes effect at once.
		if ( time() - $last < $interval || '' === HeadlessKey_Bridge_Settings::get( 'url' ) ) {
			return null;
		}
		set_transient( self::THROTTLE, time(), $interval );
		$response = wp_remote_get(
			self::jwks_url(),
			array(
				'timeout'     => 5,
				'redirection' => 0,
			)
		);
		if ( is_wp_error( $response ) || 200 !== wp_remote_retrieve_response_code( $response ) ) {
			return null;
		}
		$jwks = json_decode( wp_remote_retrieve_body( $response ), true );
		if ( ! is_array( $jwks ) || ! isset( $jwks['keys'] ) || ! is_array( $jwks['keys'] ) ) {
			return null;
		}
		set_transient( self::CACHE, $jwks['keys'], HOUR_IN_SECONDS );
		return $jwks['keys'];
	}
}
