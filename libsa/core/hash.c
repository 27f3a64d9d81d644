/* hash.c - SHA-256 content hashes (OpenSSL libcrypto): of packs, log records, compiled-chunk
 * keys. Several pieces can be hashed as one message without first copying them together. */
#include "core/internal.h"

#include <openssl/evp.h>
#include <stdio.h>

void sa__sha256_begin(sa_sha256 *h)
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	h->ctx = ctx;
	h->failed = !ctx || !EVP_DigestInit_ex(ctx, EVP_sha256(), NULL);
}

void sa__sha256_add(sa_sha256 *h, const void *data, size_t len)
{
	if (!h->failed && len && !EVP_DigestUpdate(h->ctx, data, len))
		h->failed = true;
}

int sa__sha256_end(sa_sha256 *h, unsigned char md[32])
{
	unsigned int mdlen = 0;
	int ok = !h->failed && EVP_DigestFinal_ex(h->ctx, md, &mdlen) && mdlen == 32;
	EVP_MD_CTX_free(h->ctx);
	h->ctx = NULL;
	return ok ? 0 : -1;
}

void sa__sha256_to_hex(char out[65], const unsigned char md[32])
{
	static const char hex[] = "0123456789abcdef";
	for (int i = 0; i < 32; i++) {
		out[2 * i] = hex[md[i] >> 4];
		out[2 * i + 1] = hex[md[i] & 15];
	}
	out[64] = 0;
}

void sa__sha256_hex(char out[65], const void *data, size_t len)
{
	unsigned char md[32];
	unsigned int mdlen = 0;
	if (!EVP_Digest(data, len, md, &mdlen, EVP_sha256(), NULL) || mdlen != 32) {
		snprintf(out, 65, "%064d", 0);
		return;
	}
	sa__sha256_to_hex(out, md);
}
