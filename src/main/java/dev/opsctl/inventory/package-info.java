/**
 * Hosts and groups: opsctl's YAML inventory, Ansible INI/YAML inventories read as they are,
 * Ansible-style host patterns, and ~/.ssh/config resolution. May import {@code source} only
 * (and the YAML parser, through {@link dev.opsctl.source.YamlTree}).
 */
package dev.opsctl.inventory;
