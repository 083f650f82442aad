<?php
/**
 * Hashes passwords as WordPress does, with WordPress's own code where this machine has it
 * (Debian's `wordpress` package: class-phpass.php, and wp_hash_password of pluggable.php, whose
 * body is the two lines of `wp_phpass` below). Reads a JSON array of {"password", "scheme"} on
 * stdin and writes the hashes, in order, as a JSON array. `cost` (optional) is bcrypt's.
 *
 * - phpass:    wp_hash_password up to WordPress 6.7: portable phpass of trim($password).
 * - wp-bcrypt: wp_hash_password of WordPress 6.8: '$wp' . password_hash(base64_encode(
 *              hash_hmac('sha384', trim($password), 'wp-sha384', true)), PASSWORD_BCRYPT).
 * - bcrypt-2y: password_hash(trim($password), PASSWORD_BCRYPT), as plugins that swap the hasher write.
 * - bcrypt-2a: phpass with portable hashes off (its blowfish branch, crypt() with `$2a$`).
 * - bcrypt-2b: crypt() with a `$2b$` salt.
 * - md5:       md5(trim($password)), as WordPress before 2.5 stored it.
 * - slashed:   phpass of the password as WordPress's own forms hand it over: with PHP's added slashes.
 */
require_once '/usr/share/wordpress/wp-includes/class-phpass.php';

function wp_phpass( $password ) {
	$wp_hasher = new PasswordHash( 8, true );
	return $wp_hasher->HashPassword( trim( $password ) );
}

$requests = json_decode( stream_get_contents( STDIN ), true, 8, JSON_THROW_ON_ERROR );
$hashes   = array();
foreach ( $requests as $request ) {
	$password = $request['password'];
	$cost     = isset( $request['cost'] ) ? (int) $request['cost'] : 10;
	switch ( $request['scheme'] ) {
		case 'phpass':
			$hashes[] = wp_phpass( $password );
			break;
		case 'wp-bcrypt':
			$prehashed = base64_encode( hash_hmac( 'sha384', trim( $password ), 'wp-sha384', true ) );
			$hashes[]  = '$wp' . password_hash( $prehashed, PASSWORD_BCRYPT, array( 'cost' => $cost ) );
			break;
		case 'bcrypt-2y':
			$hashes[] = password_hash( trim( $password ), PASSWORD_BCRYPT, array( 'cost' => $cost ) );
			break;
		case 'bcrypt-2a':
			$hasher   = new PasswordHash( $cost, false );
			$hashes[] = $hasher->HashPassword( trim( $password ) );
			break;
		case 'bcrypt-2b':
			$salt     = substr( strtr( base64_encode( random_bytes( 16 ) ), '+', '.' ), 0, 22 );
			$hashes[] = crypt( trim( $password ), sprintf( '$2b$%02d$%s', $cost, $salt ) );
			break;
		case 'md5':
			$hashes[] = md5( trim( $password ) );
			break;
		case 'slashed':
			$hashes[] = wp_phpass( addslashes( $password ) );
			break;
		default:
			fwrite( STDERR, "unknown scheme {$request['scheme']}\n" );
			exit( 1 );
	}
}
echo json_encode( $hashes, JSON_THROW_ON_ERROR );
