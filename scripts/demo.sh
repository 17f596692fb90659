#!/usr/bin/env bash
# The main job. For now: the `ifpp` round trip (bind, inspect, open); the full factory demo replaces it.
exec bash "$(dirname "$(readlink -f "$0")")/roundtrip.sh" "$@"
