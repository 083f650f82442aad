<?php
/**
 * Why a token was refused.
 *
 * @package HeadlessKey_Bridge
 */

defined( 'ABSPATH' ) || exit;

/**
 * A refused token: `reason` is a short code (malformed, algorithm, unknown_key, signature, claims,
 * expired, revoked, unavailable), the message says it to a person.
 */
class HeadlessKey_Bridge_Token_Error extends Exception {

	/**
	 * Short code of the refusal.
	 *
	 * @var string
	 */
	public $reason;

	/**
	 * Constructor.
	 *
	 * @param string $reason  Short code.
	 * @param string $message Human message.
	 */
	public function __construct( $reason, $message ) {
		parent::__construct( $message );
		$this->reason = $reason;
	}
}
