"""Evaluates many host patterns against inventories with the installed ansible-core, in one process.

Usage: ansible-pattern-dump.py < requests   (one JSON request a line: {"file": ..., "pattern": ...})

Prints one JSON record a line for each request, in the order given:
  {"file": ..., "pattern": ..., "ordered": bool,
   "play": {"hosts": [...], "unmatched": [...], "implicit": bool} or {"error": "..."},
   "limit": {"hosts": [...], "unmatched": [...], "implicit": bool} or {"error": "..."},
   "only_empty_groups": [...]}
'play' is what a play with 'hosts: PATTERN' runs on, in Ansible's order (inventory.get_hosts);
'limit' what '-l PATTERN' leaves of 'all' (inventory.subset, then get_hosts('all')); 'unmatched'
the terms Ansible warns 'Could not match supplied host pattern' about and drops; 'implicit'
whether a term reached the implicit localhost Ansible makes up for 'localhost', '127.0.0.1' or
'::1' when the inventory has none of them; 'only_empty_groups' the terms that match groups, all
empty, and no host (Ansible neither warns about them nor selects anything for them); 'error' what
stops Ansible (a subscript outside the hosts, an invalid regex, anything else it raises).
'ordered' is false when the order of some group's hosts follows object identity: Ansible walks
the groups of a level out of a set of Group objects, so where two or more groups of one level
have children of their own, their children come in the order of their memory addresses.
Only the plugin of the file's kind is enabled (ini for .ini, yaml for .yml/.yaml).
Run it with the interpreter of the ansible-inventory on PATH.
"""
import json
import re
import sys

sys.dont_write_bytecode = True

from ansible import constants as C
from ansible_dump_common import plugin_for, warnings
from ansible.inventory.manager import InventoryManager, split_host_pattern
from ansible.parsing.dataloader import DataLoader

UNMATCHED = re.compile(r'^Could not match supplied host pattern, ignoring: (.*)$', re.S)
C.HOST_PATTERN_MISMATCH = 'warning'


def ordered(inventory):
    """False when some group's order of hosts depends on the identity of Group objects."""
    for group in inventory.groups.values():
        seen = set()
        level = {group} | set(group.child_groups)
        while level:
            seen.update(level)
            with_new_children = [g for g in level if any(c not in seen for c in g.child_groups)]
            if len(with_new_children) > 1:
                return False
            level = {c for g in level for c in g.child_groups} - seen
    return True


def evaluate(inventory, select):
    del warnings[:]
    inventory.clear_pattern_cache()
    inventory._hosts_patterns_cache = {}
    try:
        hosts = [h.name for h in select()]
    except Exception as e:  # Ansible stops on any of them; what it is is in the message
        return {'error': '%s: %s' % (type(e).__name__, e)}
    finally:
        inventory.subset(None)
        implicit = inventory._inventory.localhost is not None and inventory._inventory.localhost.implicit
        if implicit:
            inventory._inventory.localhost = None  # made up for this pattern only, as in a run of its own
    unmatched = [m.group(1).strip() for m in (UNMATCHED.match(w) for w in warnings) if m]
    return {'hosts': hosts, 'unmatched': unmatched, 'implicit': implicit}


def only_empty_groups(inventory, pattern):
    out = []
    for term in split_host_pattern(pattern):
        name = term[1:] if term[0] in '&!' else term
        if not name or term in inventory._inventory.hosts:
            continue
        expr, _ = inventory._split_subscript(name)
        try:
            groups = inventory._match_list(inventory._inventory.groups, expr)
        except Exception:
            continue
        if groups and expr not in inventory._inventory.groups and not any(inventory._inventory.groups[g].get_hosts() for g in groups) \
                and not inventory._match_list(inventory._inventory.hosts, expr):
            out.append(term)
    return out


def limited(inventory, pattern):
    inventory.subset(pattern)
    return inventory.get_hosts('all')


def main():
    inventories = {}
    for line in sys.stdin:
        if not line.strip():
            continue
        request = json.loads(line)
        path, pattern = request['file'], request['pattern']
        if path not in inventories:
            C.INVENTORY_ENABLED = [plugin_for(path)]
            inventory = InventoryManager(loader=DataLoader(), sources=[path])
            inventories[path] = (inventory, ordered(inventory))
        inventory, is_ordered = inventories[path]
        record = {'file': path, 'pattern': pattern, 'ordered': is_ordered,
                  'play': evaluate(inventory, lambda: inventory.get_hosts(pattern)),
                  'limit': evaluate(inventory, lambda: limited(inventory, pattern)),
                  'only_empty_groups': only_empty_groups(inventory, pattern)}
        print(json.dumps(record, ensure_ascii=False), flush=True)


main()
