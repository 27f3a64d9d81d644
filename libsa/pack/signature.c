/* signature.c - detached Ed25519 signatures of packs (pack.sig), checked at load.
 *
 * A province signs each pack it distributes (sa pack sign, audit/sign.c); a county's engine
 * with a verify key refuses any pack of the chain whose signature is missing or does not
 * match the pack's content hash, naming the pack. The signed message binds the pack id and
 * its content hash, so a signature cannot be moved to another pack. */
#include "core/internal.h"
#include "pack/pack.h"

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int sa__pack_signed_message(char *buf, size_t size, const sa_pack *p)
{
	int n = snprintf(buf, size, "libsa pack signature v1\n%s\n%s\n", p->id, p->hash);
	return n > 0 && (size_t)n < size ? n : -1;
}

static int hex_decode(unsigned char *out, size_t n, const char *hex)
{
	for (size_t i = 0; i < n; i++) {
		unsigned v;
		if (sscanf(hex + 2 * i, "%2x", &v) != 1)
			return -1;
		out[i] = (unsigned char)v;
	}
	return hex[2 * n] == 0 || hex[2 * n] == '\n' ? 0 : -1;
}

/* The value of "key: value" line `key` in text, copied into out. */
static int field(char *out, size_t size, const char *text, const char *key)
{
	size_t kl = strlen(key);
	for (const char *p = text; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL) {
		if (strncmp(p, key, kl) == 0 && p[kl] == ':' && p[kl + 1] == ' ') {
			size_t n = strcspn(p + kl + 2, "\n");
			if (n >= size)
				return -1;
			memcpy(out, p + kl + 2, n);
			out[n] = 0;
			return 0;
		}
	}
	return -1;
}

static int verify_one(EVP_PKEY *key, const sa_pack *p)
{
	char path[4096], msg[512], id[256], hash[128], sighex[256];
	unsigned char sig[64];
	char *text;
	size_t len;
	EVP_MD_CTX *ctx;
	int ok, n;
	int root, rc;
	snprintf(path, sizeof path, "%s/pack.sig", p->dir);
	/* read like every pack file (files.c): no link followed, no FIFO read, regular files only */
	if ((root = sa__pack_root(p->dir)) < 0)
		return root;
	rc = sa__pack_read(root, p->dir, "pack.sig", &text, &len, NULL);
	close(root);
	if (rc == SA_ENOTFOUND)
		return sa__error_at(SA_EPOLICY, path, 0, 0, "pack %s is not signed (no pack.sig): refused", p->id);
	if (rc < 0)
		return rc;
	if (field(id, sizeof id, text, "pack") < 0 || field(hash, sizeof hash, text, "hash") < 0 ||
	    field(sighex, sizeof sighex, text, "ed25519") < 0 || strlen(sighex) != 128 ||
	    hex_decode(sig, sizeof sig, sighex) < 0) {
		free(text);
		return sa__error_at(SA_EPOLICY, path, 0, 0, "pack %s: pack.sig is not a libsa pack signature: refused", p->id);
	}
	free(text);
	if (strcmp(id, p->id) != 0)
		return sa__error_at(SA_EPOLICY, path, 0, 0, "pack %s: pack.sig signs pack '%s', not this one: refused", p->id, id);
	if (strcmp(hash, p->hash) != 0)
		return sa__error_at(SA_EPOLICY, path, 0, 0,
		                    "pack %s changed since it was signed (content hash %.16s…, signed %.16s…): refused", p->id,
		                    p->hash, hash);
	n = sa__pack_signed_message(msg, sizeof msg, p);
	if (n < 0 || !(ctx = EVP_MD_CTX_new()))
		return sa__error_oom();
	ok = EVP_DigestVerifyInit(ctx, NULL, NULL, NULL, key) == 1 &&
	     EVP_DigestVerify(ctx, sig, sizeof sig, (const unsigned char *)msg, (size_t)n) == 1;
	EVP_MD_CTX_free(ctx);
	if (!ok)
		return sa__error_at(SA_EPOLICY, path, 0, 0, "pack %s: the signature is wrong (another key, or forged): refused",
		                    p->id);
	return SA_OK;
}

int sa__read_public_key(EVP_PKEY **out, const char *pub_file)
{
	FILE *f = fopen(pub_file, "r");
	EVP_PKEY *key;
	*out = NULL;
	if (!f)
		return sa__error_at(SA_ENOTFOUND, pub_file, 0, 0, "cannot read the verify key");
	key = PEM_read_PUBKEY(f, NULL, NULL, NULL);
	fclose(f);
	if (!key || EVP_PKEY_id(key) != EVP_PKEY_ED25519) {
		EVP_PKEY_free(key);
		return sa__error_at(SA_EINVALID, pub_file, 0, 0, "not an Ed25519 public key in PEM form");
	}
	*out = key;
	return SA_OK;
}

int sa__policy_verify_signatures(const sa_policy *pol, const char *pub_file)
{
	EVP_PKEY *key;
	int rc;
	if ((rc = sa__read_public_key(&key, pub_file)) < 0)
		return rc;
	for (size_t i = 0; i < pol->n && rc == SA_OK; i++)
		rc = verify_one(key, pol->chain[i]);
	EVP_PKEY_free(key);
	return rc;
}
