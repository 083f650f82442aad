<?php
/**
 * Receives HeadlessKey's webhooks and keeps WordPress users in step.
 *
 * @package HeadlessKey_Bridge
 */

defined( 'ABSPATH' ) || exit;

/**
 * `POST /wp-json/headlesskey-bridge/v1/webhook`: a delivery is taken only with a valid Standard
 * Webhooks signature, once per `webhook-id` (a retry of a message already applied is answered
 * 200 and changes nothing), then applied to the WordPress user.
 */
class HeadlessKey_Bridge_Webhook {

	/** The REST namespace of the route. */
	const REST_NAMESPACE = 'headlesskey-bridge/v1';

	/** How long a message id is remembered: longer than the timestamp tolerance either way. */
	const REMEMBER = 900;

	/**
	 * Registers the route.
	 */
	public static function register_route() {
		register_rest_route(
			self::REST_NAMESPACE,
			'/webhook',
			array(
				'methods'             => 'POST',
				'callback'            => array( __CLASS__, 'receive' ),
				'permission_callback' => array( __CLASS__, 'genuine' ),
			)
		);
	}

	/**
	 * Whether the delivery comes from HeadlessKey: its signature, under the site's webhook secret.
	 *
	 * @param WP_REST_Request $request The delivery.
	 * @return true|WP_Error
	 */
	public static function genuine( WP_REST_Request $request ) {
		$refusal = HeadlessKey_Bridge_Webhook_Signature::refusal(
			HeadlessKey_Bridge_Settings::get( 'webhook_secret' ),
			(string) $request->get_header( 'webhook-id' ),
			(string) $request->get_header( 'webhook-timestamp' ),
			$request->get_body(),
			(string) $request->get_header( 'webhook-signature' ),
			time()
		);
		if ( null !== $refusal ) {
			return new WP_Error( 'headlesskey_bridge_webhook_signature', $refusal, array( 'status' => 401 ) );
		}
		return true;
	}

	/**
	 * Applies a genuine delivery, once.
	 *
	 * @param WP_REST_Request $request The delivery.
	 * @return WP_REST_Response|WP_Error
	 */
	public static function receive( WP_REST_Request $request ) {
		$seen = 'headlesskey_bridge_hook_' . hash( 'sha256', (string) $request->get_header( 'webhook-id' ) );
		if ( false !== get_transient( $seen ) ) {
			return new WP_REST_Response( array( 'result' => 'already applied' ), 200 );
		}
		$payload = json_decode( $request->get_body(), true );
		$type    = isset( $payload['type'] ) && is_string( $payload['type'] ) ? $payload['type'] : '';
		$data    = isset( $payload['data'] ) && is_array( $payload['data'] ) ? $payload['data'] : array();
		$hk_id   = isset( $data['user_id'] ) && is_int( $data['user_id'] ) ? $data['user_id'] : 0;
		$result  = $hk_id > 0 ? HeadlessKey_Bridge_Sync::apply( $type, $hk_id, $data ) : 'ignored';
		if ( is_wp_error( $result ) ) {
			return $result;
		}
		set_transient( $seen, 1, self::REMEMBER );
		return new WP_REST_Response( array( 'result' => $result ), 200 );
	}
}
