<?php
/**
 * Plugin Name:       HeadlessKey Bridge
 * Description:       Lets WordPress accept HeadlessKey tokens (Authorization: Bearer) and keeps its users in step with HeadlessKey's webhooks.
 * Version:           1.0.0
 * Requires at least: 6.0
 * Requires PHP:      7.4
 * Author:            HeadlessKey
 * License:           GPL-2.0-or-later
 * Text Domain:       headlesskey-bridge
 *
 * @package HeadlessKey_Bridge
 */

defined( 'ABSPATH' ) || exit;

define( 'HEADLESSKEY_BRIDGE_VERSION', '1.0.0' );

foreach ( array( 'der', 'jwk', 'jwt', 'token-error', 'webhook-signature', 'settings', 'keys', 'online', 'users', 'auth', 'sync', 'webhook', 'admin' ) as $headlesskey_bridge_file ) {
	require_once __DIR__ . '/includes/class-headlesskey-bridge-' . $headlesskey_bridge_file . '.php';
}
unset( $headlesskey_bridge_file );

add_action( 'init', array( 'HeadlessKey_Bridge_Settings', 'register' ) );
// Late, so a bearer token decides the user even when a cookie found one before.
add_filter( 'determine_current_user', array( 'HeadlessKey_Bridge_Auth', 'determine_current_user' ), 100 );
add_filter( 'rest_authentication_errors', array( 'HeadlessKey_Bridge_Auth', 'rest_authentication_errors' ), 90 );
add_filter( 'wp_authenticate_user', array( 'HeadlessKey_Bridge_Users', 'refuse_disabled' ) );
add_action( 'rest_api_init', array( 'HeadlessKey_Bridge_Webhook', 'register_route' ) );
add_action( 'admin_menu', array( 'HeadlessKey_Bridge_Admin', 'add_page' ) );
add_action( 'admin_init', array( 'HeadlessKey_Bridge_Admin', 'add_fields' ) );
