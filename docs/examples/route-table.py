#!/usr/bin/env python3
"""A route table for a proxy in front of Baton's engines, kept current from one watch stream.

Follows GET /v1/watch?kinds=agent (Server-Sent Events). Every agent event carries the agent's full
state: its job ids and its endpoints (a pool engine's allocated ports, or what an external agent
advertised in Hello), each with its probe health. So job id -> URL is a pure function of the latest
state of every agent: replace the agent's entry on each event, drop it on REMOVED, and start over
on RESET. Resumes after a disconnect with Last-Event-ID, so nothing is missed.

Usage: route-table.py [BASE_URL] [ENDPOINT_NAME]   (defaults: http://127.0.0.1:8080 http)
Prints one line per change: "route JOB_ID URL" or "unroute JOB_ID". Standard library only.
"""
import json
import sys
import time
import urllib.request

BASE = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8080"
NAME = sys.argv[2] if len(sys.argv) > 2 else "http"

agents = {}   # agent id -> its latest state
routes = {}   # job id -> URL, as last printed


def usable(agent):
    """Where the agent's jobs are served, or None: offline agents and unhealthy endpoints serve nothing."""
    if agent.get("state") == "OFFLINE":
        return None
    for endpoint in agent.get("endpoints", []):
        if endpoint["name"] == NAME and endpoint.get("health") != "UNHEALTHY":
            return endpoint["url"]
    return None


def recompute():
    table = {}
    for agent in agents.values():
        url = usable(agent)
        if url:
            for job in agent.get("jobIds", []):
                table[job] = url
    for job in sorted(set(routes) - set(table)):
        print("unroute", job, flush=True)
    for job, url in sorted(table.items()):
        if routes.get(job) != url:
            print("route", job, url, flush=True)
    routes.clear()
    routes.update(table)


def apply(event):
    kind = event.get("type")
    if kind == "RESET":
        agents.clear()
    elif kind in ("SNAPSHOT", "ADDED", "UPDATED"):
        agents[event["agent"]["id"]] = event["agent"]
    elif kind == "REMOVED":
        agents.pop(event["agent"]["id"], None)
    if kind in ("SNAPSHOT_END", "ADDED", "UPDATED", "REMOVED"):
        recompute()


def follow():
    last_id = None
    while True:
        request = urllib.request.Request(BASE + "/v1/watch?kinds=agent")
        if last_id:
            request.add_header("Last-Event-ID", last_id)
        try:
            with urllib.request.urlopen(request, timeout=60) as stream:
                for raw in stream:
                    line = raw.decode("utf-8").rstrip("\n")
                    if line.startswith("id:"):
                        last_id = line[3:].strip()
                    elif line.startswith("data:"):
                        apply(json.loads(line[5:]))
        except OSError as e:
            print("# stream ended:", e, file=sys.stderr, flush=True)
        time.sleep(1)


if __name__ == "__main__":
    follow()
