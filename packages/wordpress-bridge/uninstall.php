<?php
/**
 * Removes the bridge's options and cached keys; users and their links stay.
 *
 * @package HeadlessKey_Bridge
 */

defined( 'WP_UNINSTALL_PLUGIN' ) || exit;

foreach ( array( 'url', 'namespace', 'issuer', 'audience', 'algorithm', 'secret', 'online', 'map_by', 'create_users', 'webhook_secret', 'jwks_refetch' ) as $headlesskey_bridge_option ) {
	delete_option( 'headlesskey_bridge_' . $headlesskey_bridge_option );
}
delete_transient( 'headlesskey_bridge_jwks' );
delete_transient( 'headlesskey_bridge_jwks_fetched' );
