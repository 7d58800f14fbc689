/** What a run would do: batches of hosts, the steps each host runs, and how long it should take. */
package dev.opsctl.engine.plan;
