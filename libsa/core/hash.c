/* hash.c - content hashes of packs (OpenSSL libcrypto). */
#include "core/internal.h"

#include <openssl/evp.h>
#include <stdio.h>

void sa__sha256_hex(char out[65], const void *data, size_t len)
{
	unsigned char md[32];
	unsigned int mdlen = 0;
	if (!EVP_Digest(data, len, md, &mdlen, EVP_sha256(), NULL) || mdlen != 32) {
		snprintf(out, 65, "%064d", 0);
		return;
	}
	for (int i = 0; i < 32; i++)
		snprintf(out + 2 * i, 3, "%02x", md[i]);
}
