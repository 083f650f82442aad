import { describe, expect, it } from 'vitest';
import { rolesOf, siteRoles, WORDPRESS_ROLES } from './roles.js';

const ROLES = new Set([...WORDPRESS_ROLES, 'shop_manager']);

describe("a WordPress user's roles", () => {
  it('are the granted keys of their capabilities that are roles of the site', () => {
    expect(rolesOf('a:1:{s:13:"administrator";b:1;}', ROLES)).toEqual(['administrator']);
    expect(rolesOf('a:3:{s:12:"shop_manager";b:1;s:6:"editor";b:0;s:10:"edit_posts";b:1;}', ROLES)).toEqual(['shop_manager']);
    expect(rolesOf('a:1:{s:6:"author";i:1;}', ROLES)).toEqual(['author']);
  });

  it('are none without a capabilities row, and unreadable (null) when it is no serialized array', () => {
    expect(rolesOf(null, ROLES)).toEqual([]);
    expect(rolesOf('a:0:{}', ROLES)).toEqual([]);
    for (const corrupt of ['a:1:{s:13:"administrator";b:1;', 'administrator', 's:5:"admin";', 'O:8:"stdClass":0:{}', '']) {
      expect(rolesOf(corrupt, ROLES), corrupt).toBeNull();
    }
  });

  it("come from the site's user_roles option, which is read as data", () => {
    const option =
      'a:2:{s:13:"administrator";a:1:{s:4:"name";s:13:"Administrator";}s:12:"shop_manager";a:1:{s:4:"name";s:12:"Shop manager";}}';
    expect(siteRoles(option)).toEqual(new Set(['administrator', 'shop_manager']));
    expect(siteRoles(null)).toBeUndefined();
    expect(siteRoles('garbage')).toBeUndefined();
  });
});
