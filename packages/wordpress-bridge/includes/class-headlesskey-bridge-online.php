<?php
/**
 * Asks HeadlessKey whether a token is still live.
 *
 * @package HeadlessKey_Bridge
 */

defined( 'ABSPATH' ) || exit;

/**
 * `POST /token/validate` at HeadlessKey, so a revoked token (logout, disabled user, rotation) is
 * refused at once. A yes is remembered for a few seconds at most, a no never; when HeadlessKey
 * cannot be asked, the token is refused (503), never waved through.
 */
class HeadlessKey_Bridge_Online {

	/** Longest a positive answer is reused, in seconds. */
	const REMEMBER = 5;

	/**
	 * Throws unless HeadlessKey says the token is valid.
	 *
	 * @param string $token  The token, already verified here.
	 * @param array  $claims Its claims.
	 * @throws HeadlessKey_Bridge_Token_Error When it is not, or HeadlessKey did not answer.
	 */
	public static function check( $token, array $claims ) {
		$cache = 'headlesskey_bridge_live_' . hash( 'sha256', $token );
		if ( false !== get_transient( $cache ) ) {
			return;
		}
		$response = wp_remote_post(
			HeadlessKey_Bridge_Settings::get( 'url' ) . '/wp-json/' . HeadlessKey_Bridge_Settings::get( 'namespace' ) . '/token/validate',
			array(
				'timeout'     => 5,
				'redirection' => 0,
				'headers'     => array( 'Content-Type' => 'application/json' ),
				'body'        => wp_json_encode( array( 'token' => $token ) ),
			)
		);
		$status = is_wp_error( $response ) ? 0 : wp_remote_retrieve_response_code( $response );
		if ( 200 === $status ) {
			$body = json_decode( wp_remote_retrieve_body( $response ), true );
			if ( is_array( $body ) && isset( $body['valid'] ) && true === $body['valid'] ) {
				$remember = min( self::REMEMBER, $claims['exp'] - time() );
				if ( $remember > 0 ) {
					set_transient( $cache, 1, $remember );
				}
				return;
			}
		}
		if ( $status >= 400 && $status < 500 && 429 !== $status ) {
			throw new HeadlessKey_Bridge_Token_Error( 'revoked', esc_html__( 'HeadlessKey no longer accepts this token (signed out, revoked or replaced).', 'headlesskey-bridge' ) );
		}
		throw new HeadlessKey_Bridge_Token_Error( 'unavailable', esc_html__( 'HeadlessKey could not be asked whether the token is still valid; try again.', 'headlesskey-bridge' ) );
	}
}
