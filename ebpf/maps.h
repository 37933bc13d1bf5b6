/* maps.h — the program's maps (BTF-defined). Keys and values are defined in turnpike_xdp.h. */
#ifndef TURNPIKE_MAPS_H
#define TURNPIKE_MAPS_H

#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include "turnpike_xdp.h"

/* Client → peer: (client 5-tuple, channel) → (relayed address, peer, route index). */
struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, TURNPIKE_XDP_MAX_CHANNELS);
    __type(key, struct turnpike_client_tuple);
    __type(value, struct turnpike_channel_route);
} turnpike_channels SEC(".maps");

/* Peer → client: (relayed address, peer) → (client 5-tuple, channel, route index). */
struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, TURNPIKE_XDP_MAX_CHANNELS);
    __type(key, struct turnpike_peer_tuple);
    __type(value, struct turnpike_peer_route);
} turnpike_peers SEC(".maps");

/* Per-CPU packets and data bytes relayed per route index, each direction. */
struct {
    __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
    __uint(max_entries, TURNPIKE_XDP_MAX_ROUTES);
    __type(key, __u32);
    __type(value, struct turnpike_route_counters);
} turnpike_route_counters SEC(".maps");

/* Per-CPU packets and frame bytes per verdict reason (the registry in turnpike_xdp.h). */
struct {
    __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
    __uint(max_entries, TURNPIKE_REASON_COUNT);
    __type(key, __u32);
    __type(value, struct turnpike_reason_counters);
} turnpike_reason_counters SEC(".maps");

/* Interfaces a packet may be redirected to: ifindex → ifindex. Userspace enables the interfaces
 * the program is attached to; a frame redirected to a device that cannot transmit XDP frames
 * would be lost without a trace, so packets routed anywhere else go to the stack instead. */
struct {
    __uint(type, BPF_MAP_TYPE_DEVMAP_HASH);
    __uint(max_entries, TURNPIKE_XDP_MAX_EGRESS_INTERFACES);
    __type(key, __u32);
    __type(value, __u32);
} turnpike_egress SEC(".maps");

/* Destination address → egress interface, MACs and MTU, written by userspace from netlink
 * (the routing and neighbour tables). A destination without an entry goes to the stack. */
struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, TURNPIKE_XDP_MAX_DESTINATIONS);
    __type(key, struct turnpike_destination);
    __type(value, struct turnpike_egress_route);
} turnpike_egress_routes SEC(".maps");

#endif
