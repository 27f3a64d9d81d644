/* sign.c - sa pack sign / verify: detached Ed25519 signatures of packs (docs/audit.md).
 * The check at load lives in the pack layer (pack/signature.c); this module writes them. */
#include "core/internal.h"
#include "pack/pack.h"

#include <errno.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *default_path(const char *pack_path)
{
	const char *env = getenv("SA_PACK_PATH");
	return pack_path && *pack_path ? pack_path : env && *env ? env : "policies";
}

int sa_pack_sign(char hash_out[65], const char *pack_path, const char *pack_id, const char *key_file)
{
	sa_policy *pol;
	const sa_pack *p;
	EVP_PKEY *key;
	EVP_MD_CTX *ctx;
	FILE *f;
	unsigned char sig[64];
	size_t siglen = sizeof sig;
	char msg[512], path[4096], tmp[4200];
	int n, rc, ok;

	if (!pack_id || !key_file)
		return sa__error(SA_EINVALID, "sa_pack_sign: NULL argument");
	if (!(f = fopen(key_file, "r")))
		return sa__error_at(SA_ENOTFOUND, key_file, 0, 0, "cannot read the signing key: %s", strerror(errno));
	key = PEM_read_PrivateKey(f, NULL, NULL, NULL);
	fclose(f);
	if (!key || EVP_PKEY_id(key) != EVP_PKEY_ED25519) {
		EVP_PKEY_free(key);
		return sa__error_at(SA_EINVALID, key_file, 0, 0, "not an Ed25519 private key in PEM form "
		                    "(openssl genpkey -algorithm ed25519)");
	}
	if ((rc = sa__policy_load(&pol, default_path(pack_path), pack_id)) < 0) {
		EVP_PKEY_free(key);
		return rc;
	}
	p = sa__policy_leaf(pol);
	n = sa__pack_signed_message(msg, sizeof msg, p);
	ctx = EVP_MD_CTX_new();
	ok = n > 0 && ctx && EVP_DigestSignInit(ctx, NULL, NULL, NULL, key) == 1 &&
	     EVP_DigestSign(ctx, sig, &siglen, (const unsigned char *)msg, (size_t)n) == 1 && siglen == 64;
	EVP_MD_CTX_free(ctx);
	EVP_PKEY_free(key);
	if (!ok) {
		sa__policy_release(pol);
		return sa__error(SA_ERROR, "signing pack %s failed (OpenSSL)", pack_id);
	}
	snprintf(path, sizeof path, "%s/pack.sig", p->dir);
	snprintf(tmp, sizeof tmp, "%s.tmp%ld", path, (long)getpid());
	if (!(f = fopen(tmp, "w"))) {
		rc = sa__error_at(SA_ERROR, tmp, 0, 0, "cannot write: %s", strerror(errno));
		sa__policy_release(pol);
		return rc;
	}
	fprintf(f, "# libsa pack signature (docs/audit.md): Ed25519 over \"libsa pack signature v1\\n<pack>\\n<hash>\\n\"\n");
	fprintf(f, "pack: %s\nhash: %s\ned25519: ", p->id, p->hash);
	for (size_t i = 0; i < 64; i++)
		fprintf(f, "%02x", sig[i]);
	fprintf(f, "\n");
	if (fclose(f) != 0 || rename(tmp, path) != 0) {
		unlink(tmp);
		rc = sa__error_at(SA_ERROR, path, 0, 0, "cannot write: %s", strerror(errno));
		sa__policy_release(pol);
		return rc;
	}
	if (hash_out)
		memcpy(hash_out, p->hash, 65);
	sa__policy_release(pol);
	return SA_OK;
}

int sa_pack_verify(const char *pack_path, const char *pack_id, const char *pub_file)
{
	sa_policy *pol;
	int rc;
	if (!pack_id || !pub_file)
		return sa__error(SA_EINVALID, "sa_pack_verify: NULL argument");
	if ((rc = sa__policy_load(&pol, default_path(pack_path), pack_id)) < 0)
		return rc;
	rc = sa__policy_verify_signatures(pol, pub_file);
	sa__policy_release(pol);
	return rc;
}
