<?php
/**
 * The few ASN.1 DER structures the bridge needs: public keys from JWKs, ECDSA signatures.
 *
 * @package HeadlessKey_Bridge
 */

defined( 'ABSPATH' ) || exit;

/**
 * Builds SubjectPublicKeyInfo PEMs from JWK members and turns JOSE ECDSA signatures into DER,
 * so openssl_verify() can check RS256 and ES256 tokens without any library.
 */
class HeadlessKey_Bridge_Der {

	/** The rsaEncryption OID, 1.2.840.113549.1.1.1. */
	const OID_RSA = "\x2a\x86\x48\x86\xf7\x0d\x01\x01\x01";

	/** The id-ecPublicKey OID, 1.2.840.10045.2.1. */
	const OID_EC = "\x2a\x86\x48\xce\x3d\x02\x01";

	/** The prime256v1 (P-256) OID, 1.2.840.10045.3.1.7. */
	const OID_P256 = "\x2a\x86\x48\xce\x3d\x03\x01\x07";

	/**
	 * The PEM of an RSA public key from a JWK's modulus and exponent (raw big-endian bytes).
	 *
	 * @param string $n Modulus.
	 * @param string $e Public exponent.
	 * @return string
	 */
	public static function rsa_pem( $n, $e ) {
		$key       = self::sequence( self::integer( $n ) . self::integer( $e ) );
		$algorithm = self::sequence( self::tlv( 0x06, self::OID_RSA ) . self::tlv( 0x05, '' ) );
		return self::pem( self::sequence( $algorithm . self::tlv( 0x03, "\x00" . $key ) ) );
	}

	/**
	 * The PEM of a P-256 public key from a JWK's coordinates (32 bytes each).
	 *
	 * @param string $x X coordinate.
	 * @param string $y Y coordinate.
	 * @return string|null Null when a coordinate is not 32 bytes long.
	 */
	public static function p256_pem( $x, $y ) {
		if ( 32 !== strlen( $x ) || 32 !== strlen( $y ) ) {
			return null;
		}
		$algorithm = self::sequence( self::tlv( 0x06, self::OID_EC ) . self::tlv( 0x06, self::OID_P256 ) );
		return self::pem( self::sequence( $algorithm . self::tlv( 0x03, "\x00\x04" . $x . $y ) ) );
	}

	/**
	 * An ES256 signature as JOSE writes it (r and s, 32 bytes each) in the DER form OpenSSL reads.
	 *
	 * @param string $signature The 64-byte JOSE signature.
	 * @return string|null Null when the signature is not 64 bytes long.
	 */
	public static function ecdsa_signature( $signature ) {
		if ( 64 !== strlen( $signature ) ) {
			return null;
		}
		return self::sequence( self::integer( substr( $signature, 0, 32 ) ) . self::integer( substr( $signature, 32 ) ) );
	}

	/**
	 * A positive INTEGER: leading zero bytes dropped, one added back when the high bit is set.
	 *
	 * @param string $bytes Big-endian unsigned value.
	 * @return string
	 */
	private static function integer( $bytes ) {
		$bytes = ltrim( $bytes, "\x00" );
		if ( '' === $bytes || ord( $bytes[0] ) > 0x7f ) {
			$bytes = "\x00" . $bytes;
		}
		return self::tlv( 0x02, $bytes );
	}

	/**
	 * A SEQUENCE of already encoded members.
	 *
	 * @param string $members Encoded members.
	 * @return string
	 */
	private static function sequence( $members ) {
		return self::tlv( 0x30, $members );
	}

	/**
	 * Tag, length (short or long form) and value.
	 *
	 * @param int    $tag   The tag byte.
	 * @param string $value The contents.
	 * @return string
	 */
	private static function tlv( $tag, $value ) {
		$length = strlen( $value );
		if ( $length < 0x80 ) {
			return chr( $tag ) . chr( $length ) . $value;
		}
		$octets = ltrim( pack( 'N', $length ), "\x00" );
		return chr( $tag ) . chr( 0x80 | strlen( $octets ) ) . $octets . $value;
	}

	/**
	 * A DER SubjectPublicKeyInfo as PEM.
	 *
	 * @param string $der The DER bytes.
	 * @return string
	 */
	private static function pem( $der ) {
		// phpcs:ignore WordPress.PHP.DiscouragedPHPFunctions.obfuscation_base64_encode -- PEM is base64 by definition.
		return "-----BEGIN PUBLIC KEY-----\n" . chunk_split( base64_encode( $der ), 64, "\n" ) . "-----END PUBLIC KEY-----\n";
	}
}
