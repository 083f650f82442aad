<?php
/**
 * Standard Webhooks signature verification.
 *
 * @package HeadlessKey_Bridge
 */

defined( 'ABSPATH' ) || exit;

/**
 * Checks a delivery as HeadlessKey signs it: `webhook-signature` holds one or more
 * `v1,<base64 HMAC-SHA256 of "{id}.{timestamp}.{body}">`, keyed with the base64 after `whsec_`.
 */
class HeadlessKey_Bridge_Webhook_Signature {

	/** How far the delivery's timestamp may be from now, either way (the specification's five minutes). */
	const TOLERANCE = 300;

	/**
	 * Why the delivery is refused, or null when it is genuine.
	 *
	 * @param string $secret    The endpoint secret, `whsec_...`.
	 * @param string $id        The `webhook-id` header.
	 * @param string $timestamp The `webhook-timestamp` header.
	 * @param string $body      The raw body.
	 * @param string $header    The `webhook-signature` header.
	 * @param int    $now       Current time (seconds).
	 * @return string|null
	 */
	public static function refusal( $secret, $id, $timestamp, $body, $header, $now ) {
		$key = self::key( $secret );
		if ( null === $key ) {
			return 'The webhook secret is not set on this site.';
		}
		if ( '' === $id || strlen( $id ) > 256 || ! preg_match( '/^\d{1,12}$/', $timestamp ) || '' === $header ) {
			return 'The webhook-id, webhook-timestamp and webhook-signature headers are required.';
		}
		if ( abs( $now - (int) $timestamp ) > self::TOLERANCE ) {
			return 'The webhook timestamp is too far from now.';
		}
		// phpcs:ignore WordPress.PHP.DiscouragedPHPFunctions.obfuscation_base64_encode -- the signature is base64 by specification.
		$expected = base64_encode( hash_hmac( 'sha256', $id . '.' . $timestamp . '.' . $body, $key, true ) );
		foreach ( explode( ' ', $header ) as $signature ) {
			if ( 0 === strpos( $signature, 'v1,' ) && hash_equals( $expected, substr( $signature, 3 ) ) ) {
				return null;
			}
		}
		return 'The webhook signature does not verify.';
	}

	/**
	 * The HMAC key of a `whsec_` secret.
	 *
	 * @param string $secret The secret.
	 * @return string|null
	 */
	public static function key( $secret ) {
		if ( ! is_string( $secret ) || 0 !== strpos( $secret, 'whsec_' ) ) {
			return null;
		}
		// phpcs:ignore WordPress.PHP.DiscouragedPHPFunctions.obfuscation_base64_decode -- the secret is base64 by specification.
		$key = base64_decode( substr( $secret, 6 ), true );
		return false === $key || '' === $key ? null : $key;
	}
}
