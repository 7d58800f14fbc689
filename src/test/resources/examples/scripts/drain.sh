#!/bin/sh
# drains a node from the load balancer (used by the script example)
set -eu
echo "draining $1"
