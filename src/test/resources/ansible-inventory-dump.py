"""Reads many inventory files with the installed ansible-core, in one process.

Usage: ansible-inventory-dump.py [FILE...]   (no FILE: one path a line on stdin)

Prints one JSON record a line for each file, in the order given:
  {"file": ..., "accepted": true, "hosts": [...], "groups": {host: [...]}, "vars": {host: {...}}}
  {"file": ..., "accepted": false, "error": "..."}
as 'ansible-inventory --list' and ANSIBLE_INVENTORY_UNPARSED_FAILED=true would have it: only the
plugin of the file's kind is enabled (ini for .ini, yaml for .yml/.yaml), so a file that plugin
fails on is refused instead of being read by another one; 'hosts' are the hosts of 'all' in the
order Ansible runs them; 'parents' the groups other than 'all' that have children (with two
or more, the order of 'all' follows object identity below the second level); 'groups' the groups each host is in (ancestors included); 'vars' each
host's merged variables as ansible-inventory prints them (VariableManager.get_vars with
include_hostvars=False, less ansible-inventory's INTERNAL_VARS), JSON-encoded the same way.
Run it with the interpreter of the ansible-inventory on PATH.
"""
import json
import sys

sys.dont_write_bytecode = True

from ansible import constants as C
from ansible_dump_common import plugin_for, warnings
from ansible.cli.inventory import INTERNAL_VARS
from ansible.errors import AnsibleError
from ansible.inventory.manager import InventoryManager
from ansible.parsing.ajson import AnsibleJSONEncoder
from ansible.parsing.dataloader import DataLoader
from ansible.vars.manager import VariableManager


def dump(path):
    C.INVENTORY_ENABLED = [plugin_for(path)]
    del warnings[:]
    loader = DataLoader()
    try:
        inventory = InventoryManager(loader=loader, sources=[path])
    except AnsibleError as e:
        failed = [w for w in warnings if 'Failed to parse' in w]
        return {'file': path, 'accepted': False, 'error': '\n'.join(failed) or str(e)}
    variables = VariableManager(loader=loader, inventory=inventory)
    record = {'file': path, 'accepted': True, 'hosts': [], 'groups': {}, 'vars': {},
              'parents': sorted(g.name for g in inventory.groups.values() if g.child_groups and g.name != 'all')}
    for host in inventory.get_hosts():
        record['hosts'].append(host.name)
        record['groups'][host.name] = sorted(g.name for g in host.get_groups())
        host_vars = variables.get_vars(host=host, include_hostvars=False, stage='all')
        record['vars'][host.name] = {k: v for k, v in host_vars.items() if k not in INTERNAL_VARS}
    return record


def main():
    paths = sys.argv[1:] or [line.rstrip('\n') for line in sys.stdin if line.strip()]
    for path in paths:
        record = dump(path)
        try:
            line = json.dumps(record, cls=AnsibleJSONEncoder, sort_keys=True, preprocess_unsafe=True, ensure_ascii=False)
        except (TypeError, ValueError) as e:
            # ansible-inventory --list fails the same way on such a value (a set, a complex number).
            line = json.dumps({'file': path, 'accepted': True, 'unprintable': str(e)})
        print(line, flush=True)


main()
