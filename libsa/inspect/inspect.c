/* inspect.c - sa_pack_info: the effective parameters and rule functions of a pack chain,
 * and the diff of two chains (include/sa/inspect.h, docs/pack-tools.md). */
#include "core/internal.h"
#include "pack/pack.h"
#include "lua/scan.h"
#include "core/decision_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
	sa_param_info pub; /* first: the public pointer is a pointer to this */
	const sa_peff *eff;
	sa_param_value *vals;
	const sa_pentry **src;
} param_ent;

typedef struct {
	sa_rule_info pub;
	char *name;
	const char **in;
	size_t nin;
	char hash[65];
} rule_ent;

struct sa_pack_info {
	sa_policy *pol;
	param_ent *params;
	size_t nparams;
	rule_ent *rules;
	size_t nrules, caprules;
};

/* ---- helpers shared with lint.c ---- */

/* The file of the parameter at index idx of pack p. */
static const char *param_file(const sa_pack *p, size_t idx)
{
	const char *f = p->nparam_files ? p->param_files[0] : NULL;
	for (size_t i = 0; i < p->nparam_files; i++)
		if (p->param_first[i] <= idx)
			f = p->param_files[i];
	return f;
}

static const char *rounding_name(const sa_pdecl *d)
{
	return d->has_rounding ? sa_rounding_name(d->rounding) : NULL;
}

static int load_params(sa_pack_info *info)
{
	const sa_policy *pol = info->pol;
	if (!(info->params = calloc(pol->nparams + 1, sizeof *info->params)))
		return sa__error_oom();
	info->nparams = pol->nparams;
	for (size_t i = 0; i < pol->nparams; i++) {
		const sa_peff *e = &pol->params[i];
		param_ent *pe = &info->params[i];
		size_t nv = 0, k = 0;
		pe->eff = e;
		pe->pub.name = e->name;
		pe->pub.type = sa__ptype_name(e->decl->type);
		pe->pub.unit = e->decl->unit;
		pe->pub.title = e->decl->title;
		pe->pub.ref = e->decl->ref;
		pe->pub.rounding = e->has_rounding ? sa_rounding_name(e->rounding) : rounding_name(e->decl);
		pe->pub.rounding_by = e->has_rounding ? pol->chain[e->rounding_layer]->id : NULL;
		pe->pub.line = e->decl->line;
		for (size_t c = 0; c < pol->n; c++) {
			const sa_pack *p = pol->chain[c];
			if (p->nparams && e->decl >= p->params && e->decl < p->params + p->nparams) {
				pe->pub.declared_by = p->id;
				pe->pub.file = param_file(p, (size_t)(e->decl - p->params));
			}
			if (e->layers[c])
				nv += e->layers[c]->nv;
		}
		if (!(pe->vals = calloc(nv + 1, sizeof *pe->vals)) || !(pe->src = calloc(nv + 1, sizeof *pe->src)))
			return sa__error_oom();
		for (size_t c = 0; c < pol->n; c++) {
			const sa_pdecl *l = e->layers[c];
			const sa_pack *p = pol->chain[c];
			for (size_t j = 0; l && j < l->nv; j++, k++) {
				const sa_pentry *v = &l->v[j];
				pe->vals[k].from = v->from;
				pe->vals[k].until = v->until;
				pe->vals[k].value = v->unknown ? NULL : v->text;
				pe->vals[k].ref = v->ref;
				pe->vals[k].note = v->note;
				pe->vals[k].pack = p->id;
				pe->vals[k].file = param_file(p, (size_t)(l - p->params));
				pe->vals[k].line = v->line;
				pe->src[k] = v;
			}
		}
		pe->pub.nvalues = nv;
		pe->pub.values = pe->vals;
	}
	return SA_OK;
}

/* Lines first..last of text, hashed. */
static void hash_lines(char out[65], const char *text, size_t len, int first, int last)
{
	size_t a = 0, b;
	int line = 1;
	while (a < len && line < first)
		if (text[a++] == '\n')
			line++;
	b = a;
	while (b < len && line <= last)
		if (text[b++] == '\n')
			line++;
	sa__sha256_hex(out, text + a, b - a);
}

static rule_ent *rule_get(sa_pack_info *info, const char *name)
{
	rule_ent *r;
	for (size_t i = 0; i < info->nrules; i++)
		if (strcmp(info->rules[i].name, name) == 0)
			return &info->rules[i];
	if (info->nrules == info->caprules) {
		size_t cap = info->caprules ? info->caprules * 2 : 32;
		rule_ent *g = realloc(info->rules, cap * sizeof *g);
		if (!g)
			return NULL;
		info->rules = g;
		info->caprules = cap;
	}
	r = &info->rules[info->nrules];
	memset(r, 0, sizeof *r);
	if (!(r->name = strdup(name)))
		return NULL;
	info->nrules++;
	return r;
}

static int cmp_rule(const void *a, const void *b)
{
	return strcmp(((const rule_ent *)a)->name, ((const rule_ent *)b)->name);
}

static int load_rules(sa_pack_info *info)
{
	const sa_policy *pol = info->pol;
	for (size_t c = 0; c < pol->n; c++) {
		const sa_pack *p = pol->chain[c];
		for (size_t j = 0; j < p->nrules; j++) {
			const sa_pfile *f = &p->rules[j];
			sa_lscan s;
			int rc = sa__lua_scan(&s, f->name, f->text, f->len);
			if (rc < 0)
				return rc;
			if (s.error) {
				rc = sa__error_at(SA_EPOLICY, f->name, s.error_line, 0, "%s", s.error);
				sa__lscan_free(&s);
				return rc;
			}
			for (size_t k = 0; k < s.n; k++) {
				const sa_lref *d = &s.refs[k];
				rule_ent *r;
				if (d->kind != SA_LREF_RULE_DEF)
					continue;
				if (!(r = rule_get(info, d->name))) {
					sa__lscan_free(&s);
					return sa__error_oom();
				}
				if (r->pub.defined_by != p->id) {
					const char **g = realloc(r->in, (r->nin + 1) * sizeof *g);
					if (!g) {
						sa__lscan_free(&s);
						return sa__error_oom();
					}
					r->in = g;
					r->in[r->nin++] = p->id;
					r->pub.overrides = r->pub.defined_by;
				}
				r->pub.defined_by = p->id;
				r->pub.file = f->name;
				r->pub.line = d->line;
				r->pub.last_line = d->last_line;
				r->pub.calls_super = 0;
				for (size_t m = 0; m < s.n; m++)
					if (s.refs[m].kind == SA_LREF_SUPER_GET && s.refs[m].def == (int)k &&
					    strcmp(s.refs[m].name, d->name) == 0)
						r->pub.calls_super = 1;
				hash_lines(r->hash, f->text, f->len, d->line, d->last_line);
			}
			sa__lscan_free(&s);
		}
	}
	if (info->nrules)
		qsort(info->rules, info->nrules, sizeof *info->rules, cmp_rule);
	for (size_t i = 0; i < info->nrules; i++) {
		rule_ent *r = &info->rules[i];
		r->pub.name = r->name;
		r->pub.defined_in = r->in;
		r->pub.ndefined = r->nin;
		r->pub.body_sha256 = r->hash;
	}
	return SA_OK;
}

int sa_pack_info_load(sa_pack_info **out, const char *pack_path, const char *pack_id)
{
	sa_pack_info *info;
	const char *path = sa_pack_path_resolve(pack_path);
	int rc;
	if (!out || !pack_id)
		return sa__error(SA_EINVALID, "sa_pack_info_load: NULL argument");
	*out = NULL;
	if (!(info = calloc(1, sizeof *info)))
		return sa__error_oom();
	if ((rc = sa__policy_load(&info->pol, path, pack_id)) < 0 ||
	    (rc = load_params(info)) < 0 || (rc = load_rules(info)) < 0) {
		sa_pack_info_free(info);
		return rc;
	}
	*out = info;
	return SA_OK;
}

void sa_pack_info_free(sa_pack_info *info)
{
	if (!info)
		return;
	for (size_t i = 0; i < info->nparams; i++) {
		free(info->params[i].vals);
		free((void *)info->params[i].src);
	}
	free(info->params);
	for (size_t i = 0; i < info->nrules; i++) {
		free(info->rules[i].name);
		free((void *)info->rules[i].in);
	}
	free(info->rules);
	sa__policy_release(info->pol);
	free(info);
}

const char *sa_pack_info_id(const sa_pack_info *info)
{
	return info ? sa__policy_leaf(info->pol)->id : NULL;
}

const char *sa_pack_info_title(const sa_pack_info *info)
{
	return info ? sa__policy_leaf(info->pol)->title : NULL;
}

const char *sa_pack_info_version(const sa_pack_info *info)
{
	return info ? sa__policy_leaf(info->pol)->version : NULL;
}

const char *sa_pack_info_dir(const sa_pack_info *info)
{
	return info ? sa__policy_leaf(info->pol)->dir : NULL;
}

const char *sa_pack_info_hash(const sa_pack_info *info)
{
	return info ? info->pol->hash : NULL;
}

size_t sa_pack_info_chain_count(const sa_pack_info *info)
{
	return info ? info->pol->n : 0;
}

const char *sa_pack_info_chain_id(const sa_pack_info *info, size_t i)
{
	return info && i < info->pol->n ? info->pol->chain[i]->id : NULL;
}

size_t sa_pack_info_param_count(const sa_pack_info *info)
{
	return info ? info->nparams : 0;
}

const sa_param_info *sa_pack_info_param(const sa_pack_info *info, size_t i)
{
	return info && i < info->nparams ? &info->params[i].pub : NULL;
}

const sa_param_info *sa_pack_info_param_find(const sa_pack_info *info, const char *name)
{
	size_t lo = 0, hi = info && name ? info->nparams : 0;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strcmp(info->params[mid].pub.name, name);
		if (c == 0)
			return &info->params[mid].pub;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

const sa_param_value *sa_pack_info_param_at(const sa_pack_info *info, const sa_param_info *param, sa_date on)
{
	const param_ent *pe = (const param_ent *)param;
	const sa_pentry *v;
	if (!info || !param)
		return NULL;
	if (!(v = sa__peff_at(info->pol, pe->eff, on, NULL)))
		return NULL;
	for (size_t i = 0; i < pe->pub.nvalues; i++)
		if (pe->src[i] == v)
			return &pe->vals[i];
	return NULL;
}

size_t sa_pack_info_rule_count(const sa_pack_info *info)
{
	return info ? info->nrules : 0;
}

const sa_rule_info *sa_pack_info_rule(const sa_pack_info *info, size_t i)
{
	return info && i < info->nrules ? &info->rules[i].pub : NULL;
}

const sa_rule_info *sa_pack_info_rule_find(const sa_pack_info *info, const char *name)
{
	for (size_t i = 0; info && name && i < info->nrules; i++)
		if (strcmp(info->rules[i].name, name) == 0)
			return &info->rules[i].pub;
	return NULL;
}

/* ---- diff ---- */


static int cmp_date(const void *a, const void *b)
{
	sa_date x = *(const sa_date *)a, y = *(const sa_date *)b;
	return x < y ? -1 : x > y;
}

static void describe_value(sa_buf *b, const sa_param_value *v)
{
	char d[16];
	if (!v) {
		sa__buf_str(b, "(none)");
		return;
	}
	sa_date_format(d, sizeof d, v->from);
	sa__buf_fmt(b, "%s (%s, from %s)", v->value ? v->value : "null", v->pack, d);
}

/* "2024-07-01 735; 2025-07-01 744" - the value in force from each change on. */
static void timeline(sa_buf *b, const sa_pack_info *info, const sa_param_info *p)
{
	sa_date *pts = calloc(p->nvalues * 2 + 1, sizeof *pts);
	size_t n = 0;
	const char *prev = "\x01";
	if (!pts) {
		b->oom = true;
		return;
	}
	for (size_t i = 0; i < p->nvalues; i++) {
		pts[n++] = p->values[i].from;
		if (p->values[i].until)
			pts[n++] = sa__date_add_days(p->values[i].until, 1);
	}
	qsort(pts, n, sizeof *pts, cmp_date);
	for (size_t i = 0; i < n; i++) {
		const sa_param_value *v;
		const char *t;
		char d[16];
		if (i && pts[i] == pts[i - 1])
			continue;
		v = sa_pack_info_param_at(info, p, pts[i]);
		t = v && v->value ? v->value : "-";
		if (strcmp(t, prev) == 0)
			continue;
		sa_date_format(d, sizeof d, pts[i]);
		sa__buf_fmt(b, "%s%s %s", b->n ? "; " : "", d, t);
		prev = t;
	}
	free(pts);
}

static int streq(const char *a, const char *b)
{
	return a == b || (a && b && strcmp(a, b) == 0);
}

static int emit(sa_diff_fn cb, void *payload, int kind, const char *name, sa_buf *l, sa_buf *r)
{
	sa_diff_item it = { kind, name, l && l->s ? l->s : NULL, r && r->s ? r->s : NULL };
	if ((l && l->oom) || (r && r->oom))
		return sa__error_oom();
	if (cb && cb(&it, payload))
		return sa__error(SA_EUSER, "sa_pack_info_diff: stopped by the callback");
	return SA_OK;
}

static void describe_decl(sa_buf *b, const sa_param_info *p)
{
	sa__buf_fmt(b, "%s, %s%s%s, declared by %s: %s", p->type, p->unit, p->rounding ? ", rounding " : "",
	            p->rounding ? p->rounding : "", p->declared_by, p->ref);
}

static void describe_rule(sa_buf *b, const sa_rule_info *r)
{
	sa__buf_fmt(b, "%s (%s:%d)", r->defined_by, r->file, r->line);
}

static void buf_reset(sa_buf *b)
{
	free(b->s);
	memset(b, 0, sizeof *b);
}

/* The service catalogs (issue 12 #10): each pack's services.yaml along both chains, compared
 * line by line (position for position, so a changed price is named with its line). One item
 * per differing line, at most 20 per file, then one item saying how many more differ. */
static const char *services_of(const sa_pack_info *info, const char *id, size_t *len)
{
	for (size_t i = 0; i < info->pol->n; i++)
		if (strcmp(info->pol->chain[i]->id, id) == 0)
			return sa__pack_services_text(info->pol->chain[i], len);
	*len = 0;
	return NULL;
}

static int diff_services_text(const char *id, const char *a, size_t alen, const char *b, size_t blen, sa_diff_fn cb,
                              void *payload)
{
	sa_buf l = { 0 }, r = { 0 }, name = { 0 };
	const char *pa = a, *pb = b, *ea = a ? a + alen : NULL, *eb = b ? b + blen : NULL;
	int line = 1, count = 0, more = 0, rc = 0;
	sa__buf_str(&name, id);
	sa__buf_str(&name, "/services.yaml");
	if (!a || !b) {
		sa__buf_str(a ? &l : &r, "present");
		rc = emit(cb, payload, SA_DIFF_SERVICES, name.s, a ? &l : NULL, b ? &r : NULL);
		free(l.s), free(r.s), free(name.s);
		return rc < 0 ? rc : 1;
	}
	while (rc >= 0 && (pa < ea || pb < eb)) {
		const char *na = pa < ea ? memchr(pa, '\n', (size_t)(ea - pa)) : NULL;
		const char *nb = pb < eb ? memchr(pb, '\n', (size_t)(eb - pb)) : NULL;
		size_t la = pa < ea ? (size_t)((na ? na : ea) - pa) : 0, lb = pb < eb ? (size_t)((nb ? nb : eb) - pb) : 0;
		int has_a = pa < ea, has_b = pb < eb;
		if (has_a != has_b || la != lb || memcmp(pa, pb, la) != 0) {
			if (count < 20) {
				char head[32];
				buf_reset(&l);
				buf_reset(&r);
				snprintf(head, sizeof head, "line %d: ", line);
				if (has_a) {
					sa__buf_str(&l, head);
					sa__buf_add(&l, pa, la > 200 ? 200 : la);
				}
				if (has_b) {
					sa__buf_str(&r, head);
					sa__buf_add(&r, pb, lb > 200 ? 200 : lb);
				}
				rc = emit(cb, payload, SA_DIFF_SERVICES, name.s, has_a ? &l : NULL, has_b ? &r : NULL);
				count++;
			} else {
				more++;
			}
		}
		pa = has_a ? (na ? na + 1 : ea) : pa;
		pb = has_b ? (nb ? nb + 1 : eb) : pb;
		line++;
	}
	if (rc >= 0 && more) {
		char msg[64];
		buf_reset(&l);
		buf_reset(&r);
		snprintf(msg, sizeof msg, "%d more lines differ", more);
		sa__buf_str(&l, msg);
		sa__buf_str(&r, msg);
		rc = emit(cb, payload, SA_DIFF_SERVICES, name.s, &l, &r);
		count++;
	}
	free(l.s), free(r.s), free(name.s);
	return rc < 0 ? rc : count;
}

static int diff_services(const sa_pack_info *left, const sa_pack_info *right, sa_diff_fn cb, void *payload)
{
	int count = 0;
	for (int side = 0; side < 2; side++) { /* packs of the left chain, then those only on the right */
		const sa_pack_info *x = side ? right : left;
		for (size_t i = 0; i < x->pol->n; i++) {
			const char *id = x->pol->chain[i]->id, *a, *b;
			size_t alen, blen;
			int n;
			a = services_of(left, id, &alen);
			b = services_of(right, id, &blen);
			if (side) { /* already compared when the left chain has this pack */
				int in_left = 0;
				for (size_t k = 0; k < left->pol->n; k++)
					in_left |= strcmp(left->pol->chain[k]->id, id) == 0;
				if (in_left)
					continue;
			}
			if (!a && !b)
				continue;
			if (a && b && alen == blen && memcmp(a, b, alen) == 0)
				continue;
			if ((n = diff_services_text(id, a, alen, b, blen, cb, payload)) < 0)
				return n;
			count += n;
		}
	}
	return count;
}

int sa_pack_info_diff(const sa_pack_info *left, const sa_pack_info *right, sa_date on, sa_diff_fn cb,
                      void *payload)
{
	size_t i = 0, j = 0;
	int count = 0, rc = SA_OK;
	sa_buf l = { 0 }, r = { 0 };
	if (!left || !right)
		return sa__error(SA_EINVALID, "sa_pack_info_diff: NULL argument");
	while (rc >= 0 && (i < left->nparams || j < right->nparams)) {
		const sa_param_info *a = i < left->nparams ? &left->params[i].pub : NULL;
		const sa_param_info *b = j < right->nparams ? &right->params[j].pub : NULL;
		int c = !a ? 1 : !b ? -1 : strcmp(a->name, b->name);
		buf_reset(&l);
		buf_reset(&r);
		if (c < 0) {
			describe_decl(&l, a);
			rc = emit(cb, payload, SA_DIFF_PARAM_LEFT_ONLY, a->name, &l, NULL);
			count++;
			i++;
			continue;
		}
		if (c > 0) {
			describe_decl(&r, b);
			rc = emit(cb, payload, SA_DIFF_PARAM_RIGHT_ONLY, b->name, NULL, &r);
			count++;
			j++;
			continue;
		}
		i++;
		j++;
		if (!streq(a->type, b->type) || !streq(a->unit, b->unit) || !streq(a->rounding, b->rounding) ||
		    !streq(a->ref, b->ref)) {
			describe_decl(&l, a);
			describe_decl(&r, b);
			if ((rc = emit(cb, payload, SA_DIFF_PARAM_DECL, a->name, &l, &r)) < 0)
				break;
			count++;
			buf_reset(&l);
			buf_reset(&r);
		}
		{
			const sa_param_value *va = sa_pack_info_param_at(left, a, on);
			const sa_param_value *vb = sa_pack_info_param_at(right, b, on);
			if (!streq(va ? va->value : NULL, vb ? vb->value : NULL)) {
				describe_value(&l, va);
				describe_value(&r, vb);
				rc = emit(cb, payload, SA_DIFF_PARAM_VALUE, a->name, &l, &r);
				count++;
				continue;
			}
			timeline(&l, left, a);
			timeline(&r, right, b);
			if (!streq(l.s ? l.s : "", r.s ? r.s : "")) {
				if (!l.s)
					sa__buf_str(&l, "(no values)");
				if (!r.s)
					sa__buf_str(&r, "(no values)");
				rc = emit(cb, payload, SA_DIFF_PARAM_HISTORY, a->name, &l, &r);
				count++;
			}
		}
	}
	i = j = 0;
	while (rc >= 0 && (i < left->nrules || j < right->nrules)) {
		const sa_rule_info *a = i < left->nrules ? &left->rules[i].pub : NULL;
		const sa_rule_info *b = j < right->nrules ? &right->rules[j].pub : NULL;
		int c = !a ? 1 : !b ? -1 : strcmp(a->name, b->name);
		buf_reset(&l);
		buf_reset(&r);
		if (c < 0) {
			describe_rule(&l, a);
			rc = emit(cb, payload, SA_DIFF_RULE_LEFT_ONLY, a->name, &l, NULL);
			count++;
			i++;
		} else if (c > 0) {
			describe_rule(&r, b);
			rc = emit(cb, payload, SA_DIFF_RULE_RIGHT_ONLY, b->name, NULL, &r);
			count++;
			j++;
		} else {
			if (!streq(a->defined_by, b->defined_by) || strcmp(a->body_sha256, b->body_sha256) != 0) {
				describe_rule(&l, a);
				describe_rule(&r, b);
				if (streq(a->defined_by, b->defined_by))
					sa__buf_str(&r, " source differs");
				rc = emit(cb, payload, SA_DIFF_RULE_CHANGED, a->name, &l, &r);
				count++;
			}
			i++;
			j++;
		}
	}
	if (rc >= 0) {
		int n = diff_services(left, right, cb, payload);
		if (n < 0)
			rc = n;
		else
			count += n;
	}
	buf_reset(&l);
	buf_reset(&r);
	return rc < 0 ? rc : count;
}
