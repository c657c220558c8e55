/*
 * rv_net.h — source addresses and CIDR allowlists for packet admission.
 *
 * Text forms accepted (nothing else; no host names, no zone ids "%eth0",
 * no brackets):
 *   IPv4   four decimal parts 0..255 separated by dots, no leading zeros
 *          ("10.0.0.7"; "010.0.0.7" is refused: octal or decimal?)
 *   IPv6   RFC 4291 text: eight groups of 1..4 hex digits, "::" once for a
 *          run of zero groups, optionally ending in a dotted IPv4 tail
 *          ("fe80::1", "::ffff:10.0.0.7")
 *   CIDR   an address, optionally "/prefix" (decimal, 0..32 for IPv4,
 *          0..128 for IPv6); without one it names a single host. Host bits
 *          below the prefix are cleared ("10.1.2.3/8" is 10.0.0.0/8).
 *   list   CIDRs separated by commas, spaces around entries allowed; an
 *          empty string is an empty list (callers read it as "no filter").
 *
 * IPv4-mapped IPv6 addresses (::ffff:a.b.c.d, what a dual-stack socket
 * reports for an IPv4 sender) are IPv4 here: an address parses to, and
 * rv_net_addr_unmap() turns a socket's address into, the IPv4 form, and a
 * mapped CIDR with prefix >= 96 becomes the IPv4 CIDR with prefix - 96. So
 * "10.0.0.0/8" matches an IPv4 node whether the socket is IPv4 or "::".
 *
 * Errors: RV_ERR_NET_ADDRESS (not an address of either form, or an empty
 * list entry), RV_ERR_NET_PREFIX (prefix not a decimal number or too long
 * for the family), RV_ERR_SHORT_OUTPUT (more entries than the caller's
 * array holds), RV_ERR_NULL. Parsers read exactly `len` bytes (no NUL
 * needed) and never write past `cap` entries.
 */
#ifndef RV_NET_H
#define RV_NET_H

#include "rv_base.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
    RV_NET_NONE = 0,
    RV_NET_IPV4 = 4,
    RV_NET_IPV6 = 6,
} rv_net_family;

typedef struct {
    uint8_t family;     /* rv_net_family */
    uint8_t addr[16];   /* network byte order; IPv4 in addr[0..3], rest 0 */
} rv_net_addr;

typedef struct {
    rv_net_addr net;    /* bits below prefix are zero */
    uint8_t prefix;     /* 0..32 (IPv4) or 0..128 (IPv6) */
} rv_net_cidr;

rv_status rv_net_addr_parse(const char *s, size_t len, rv_net_addr *out);
rv_status rv_net_cidr_parse(const char *s, size_t len, rv_net_cidr *out);

/* Parses a list into out[0..cap). *n receives the entry count. On error,
 * *bad_off / *bad_len (either may be NULL) locate the offending entry in
 * s (the whole entry, spaces trimmed) and *n the entries before it. */
rv_status rv_net_cidr_list_parse(const char *s, size_t len, rv_net_cidr *out,
                                 size_t cap, size_t *n, size_t *bad_off,
                                 size_t *bad_len);

/* IPv4-mapped IPv6 -> IPv4; other addresses unchanged. */
void rv_net_addr_unmap(rv_net_addr *a);

bool rv_net_cidr_match(const rv_net_cidr *c, const rv_net_addr *a);
/* True if any of the n entries matches. */
bool rv_net_cidr_list_match(const rv_net_cidr *list, size_t n,
                            const rv_net_addr *a);

#ifdef __cplusplus
}
#endif

#endif /* RV_NET_H */
