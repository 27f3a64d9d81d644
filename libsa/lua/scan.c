/* scan.c - static scan of rule files for `sa lint` and `sa pack show` (docs/pack-tools.md).
 *
 * A rule file is compiled (luaL_loadbufferx, text only) in a scratch state and never run.
 * The compiled function is dumped with its debug information (lua_dump, strip = 0) and the
 * Lua 5.4 bytecode is walked: accesses to a global are GETTABUP/SETTABUP on the upvalue
 * named _ENV with a constant string key (or GETUPVAL _ENV followed by GETFIELD/GETTABLE,
 * which the compiler emits when a function has more than 256 constants). A small per-register
 * tracker follows which register holds _ENV, a global table (rules, super, string, sa, ...),
 * a constant string or a fresh closure, so `rules.x = function`, `super.x(...)` and
 * `string.find` are recognised with their line from the line info.
 *
 * Limits (documented): accesses through `local _ENV`, computed keys (`rules[name]`) and values
 * copied through locals across branches are not seen. */
#include "lua/state.h"
#include "lua/scan.h"

#include <lauxlib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Lua 5.4 opcodes (lopcodes.h, ORDER OP) */
enum {
	OP_MOVE, OP_LOADI, OP_LOADF, OP_LOADK, OP_LOADKX, OP_LOADFALSE, OP_LFALSESKIP, OP_LOADTRUE, OP_LOADNIL,
	OP_GETUPVAL, OP_SETUPVAL, OP_GETTABUP, OP_GETTABLE, OP_GETI, OP_GETFIELD, OP_SETTABUP, OP_SETTABLE, OP_SETI,
	OP_SETFIELD, OP_NEWTABLE, OP_SELF, OP_ADDI, OP_ADDK, OP_SUBK, OP_MULK, OP_MODK, OP_POWK, OP_DIVK, OP_IDIVK,
	OP_BANDK, OP_BORK, OP_BXORK, OP_SHRI, OP_SHLI, OP_ADD, OP_SUB, OP_MUL, OP_MOD, OP_POW, OP_DIV, OP_IDIV,
	OP_BAND, OP_BOR, OP_BXOR, OP_SHL, OP_SHR, OP_MMBIN, OP_MMBINI, OP_MMBINK, OP_UNM, OP_BNOT, OP_NOT, OP_LEN,
	OP_CONCAT, OP_CLOSE, OP_TBC, OP_JMP, OP_EQ, OP_LT, OP_LE, OP_EQK, OP_EQI, OP_LTI, OP_LEI, OP_GTI, OP_GEI,
	OP_TEST, OP_TESTSET, OP_CALL, OP_TAILCALL, OP_RETURN, OP_RETURN0, OP_RETURN1, OP_FORLOOP, OP_FORPREP,
	OP_TFORPREP, OP_TFORCALL, OP_TFORLOOP, OP_SETLIST, OP_CLOSURE, OP_VARARG, OP_VARARGPREP, OP_EXTRAARG
};

#define ABSLINEINFO (-0x80)

/* ---- reading a dump ---- */

typedef struct proto proto;
struct proto {
	int linedefined, lastline;
	int maxstack;
	int numparams;
	char **params; /* names of the parameters (the first locals) */
	uint32_t *code;
	size_t ncode;
	char **k; /* string constants; NULL for other constants */
	double *kf; /* float constants (kisf[i] set) */
	unsigned char *kisf;
	size_t nk;
	unsigned char *upinstack, *upidx; /* upvalue descriptions */
	size_t nupdesc;
	char **upnames;
	size_t nup;
	signed char *lineinfo;
	size_t nlineinfo;
	int *abspc, *absline;
	size_t nabs;
	proto **p;
	size_t np;
};

typedef struct {
	const unsigned char *p, *end;
	int err;
	int intsize, numsize;
} rd;

static int rbyte(rd *r)
{
	if (r->p >= r->end) {
		r->err = 1;
		return 0;
	}
	return *r->p++;
}

static size_t rsize(rd *r)
{
	size_t x = 0;
	int b;
	do {
		b = rbyte(r);
		if (r->err)
			return 0;
		x = (x << 7) | (size_t)(b & 0x7f);
	} while (!(b & 0x80));
	return x;
}

static void rskip(rd *r, size_t n)
{
	if ((size_t)(r->end - r->p) < n) {
		r->err = 1;
		r->p = r->end;
	} else
		r->p += n;
}

/* NULL for a dumped NULL string (and on error: check r->err) */
static char *rstring(rd *r)
{
	size_t n = rsize(r);
	char *s;
	if (r->err || n == 0)
		return NULL;
	n--;
	if ((size_t)(r->end - r->p) < n) {
		r->err = 1;
		return NULL;
	}
	if (!(s = malloc(n + 1))) {
		r->err = 2;
		return NULL;
	}
	memcpy(s, r->p, n);
	s[n] = 0;
	r->p += n;
	return s;
}

static void proto_free(proto *f)
{
	if (!f)
		return;
	free(f->code);
	for (size_t i = 0; i < f->nk; i++)
		free(f->k[i]);
	free(f->k);
	free(f->kf);
	free(f->kisf);
	free(f->upinstack);
	free(f->upidx);
	for (int i = 0; f->params && i < f->numparams; i++)
		free(f->params[i]);
	free(f->params);
	for (size_t i = 0; i < f->nup; i++)
		free(f->upnames[i]);
	free(f->upnames);
	free(f->lineinfo);
	free(f->abspc);
	free(f->absline);
	for (size_t i = 0; i < f->np; i++)
		proto_free(f->p[i]);
	free(f->p);
	free(f);
}

#define SANE(n) ((n) < ((size_t)1 << 24))

static proto *read_proto(rd *r, int depth)
{
	proto *f = calloc(1, sizeof *f);
	size_t n;
	if (!f || depth > 200) {
		r->err = f ? 1 : 2;
		free(f);
		return NULL;
	}
	free(rstring(r)); /* source */
	f->linedefined = (int)rsize(r);
	f->lastline = (int)rsize(r);
	f->numparams = rbyte(r);
	rbyte(r); /* is_vararg */
	f->maxstack = rbyte(r);
	n = rsize(r);
	if (r->err || !SANE(n) || !(f->code = calloc(n + 1, sizeof *f->code)))
		goto bad;
	if ((size_t)(r->end - r->p) < n * 4)
		goto bad;
	memcpy(f->code, r->p, n * 4);
	r->p += n * 4;
	f->ncode = n;
	n = rsize(r);
	if (r->err || !SANE(n) || !(f->k = calloc(n + 1, sizeof *f->k)) || !(f->kf = calloc(n + 1, sizeof *f->kf)) ||
	    !(f->kisf = calloc(n + 1, 1)))
		goto bad;
	f->nk = n;
	for (size_t i = 0; i < n && !r->err; i++) {
		int tag = rbyte(r);
		switch (tag) {
		case 0: case 1: case 17: break;               /* nil, false, true */
		case 3: rskip(r, (size_t)r->intsize); break;  /* integer */
		case 19:                                      /* float */
			if (r->numsize == (int)sizeof(double) && (size_t)(r->end - r->p) >= sizeof(double)) {
				memcpy(&f->kf[i], r->p, sizeof(double));
				f->kisf[i] = 1;
			}
			rskip(r, (size_t)r->numsize);
			break;
		case 4: case 20: f->k[i] = rstring(r); break; /* short, long string */
		default: r->err = 1;
		}
	}
	n = rsize(r); /* upvalue descriptions: instack, idx, kind */
	if (r->err || !SANE(n) || !(f->upinstack = calloc(n + 1, 1)) || !(f->upidx = calloc(n + 1, 1)))
		goto bad;
	f->nupdesc = n;
	for (size_t i = 0; i < n && !r->err; i++) {
		f->upinstack[i] = (unsigned char)rbyte(r);
		f->upidx[i] = (unsigned char)rbyte(r);
		rbyte(r);
	}
	n = rsize(r);
	if (r->err || !SANE(n) || !(f->p = calloc(n + 1, sizeof *f->p)))
		goto bad;
	for (size_t i = 0; i < n && !r->err; i++) {
		f->p[i] = read_proto(r, depth + 1);
		f->np = i + 1;
	}
	/* debug */
	n = rsize(r);
	if (r->err || !SANE(n) || !(f->lineinfo = calloc(n + 1, 1)))
		goto bad;
	if ((size_t)(r->end - r->p) < n)
		goto bad;
	memcpy(f->lineinfo, r->p, n);
	r->p += n;
	f->nlineinfo = n;
	n = rsize(r);
	if (r->err || !SANE(n) || !(f->abspc = calloc(n + 1, sizeof(int))) || !(f->absline = calloc(n + 1, sizeof(int))))
		goto bad;
	f->nabs = n;
	for (size_t i = 0; i < n; i++) {
		f->abspc[i] = (int)rsize(r);
		f->absline[i] = (int)rsize(r);
	}
	n = rsize(r); /* locals: the parameters come first */
	if (!(f->params = calloc((size_t)f->numparams + 1, sizeof *f->params)))
		goto bad;
	for (size_t i = 0; i < n && !r->err; i++) {
		char *name = rstring(r);
		rsize(r);
		rsize(r);
		if ((int)i < f->numparams)
			f->params[i] = name;
		else
			free(name);
	}
	n = rsize(r);
	if (r->err || !SANE(n) || !(f->upnames = calloc(n + 1, sizeof *f->upnames)))
		goto bad;
	f->nup = n;
	for (size_t i = 0; i < n && !r->err; i++)
		f->upnames[i] = rstring(r);
	if (r->err)
		goto bad;
	return f;
bad:
	if (!r->err)
		r->err = 1;
	proto_free(f);
	return NULL;
}

static proto *read_dump(const unsigned char *p, size_t len, int *err)
{
	rd r = { p, p + len, 0, 8, 8 };
	proto *f;
	rskip(&r, 4 + 1 + 1 + 6); /* signature, version, format, LUAC_DATA */
	if (r.err || p[4] != 0x54) {
		*err = 1;
		return NULL;
	}
	if (rbyte(&r) != 4) { /* sizeof(Instruction) */
		*err = 1;
		return NULL;
	}
	r.intsize = rbyte(&r);
	r.numsize = rbyte(&r);
	rskip(&r, (size_t)r.intsize + (size_t)r.numsize); /* LUAC_INT, LUAC_NUM */
	rbyte(&r);                                        /* number of upvalues of the main closure */
	f = read_proto(&r, 0);
	*err = r.err;
	return f;
}

/* ---- walking the code ---- */

enum { R_NONE, R_ENV, R_GLOBAL, R_KSTR, R_CLOSURE, R_PFUNC, R_PATH, R_TABLE };

typedef struct {
	int kind;
	const char *s; /* R_GLOBAL: the global's name; R_KSTR: the string */
	int idx;       /* R_CLOSURE: index in p[]; R_PFUNC: position of the name among the arguments;
	                  R_PATH: depth; R_TABLE: index in the walk's table list */
} reg;

static int add_ref(sa_lscan *s, sa_lref_kind kind, const char *base, const char *name, int line, int def)
{
	sa_lref *r;
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 32;
		sa_lref *g = realloc(s->refs, cap * sizeof *g);
		if (!g)
			return -1;
		s->refs = g;
		s->cap = cap;
	}
	r = &s->refs[s->n];
	memset(r, 0, sizeof *r);
	r->kind = kind;
	r->line = r->last_line = line;
	r->def = def;
	if (!(r->name = strdup(name)) || (base && !(r->base = strdup(base)))) {
		free(r->name);
		return -1;
	}
	s->n++;
	return 0;
}

/* Strings and table key lists made while walking one function (freed after it). */
typedef struct {
	char **s;
	size_t n, cap;
	char *keys[64]; /* R_TABLE: "a,b,c" per table built here */
	size_t nkeys;
} arena;

static const char *arena_add(arena *a, char *s)
{
	if (!s)
		return NULL;
	if (a->n == a->cap) {
		size_t cap = a->cap ? a->cap * 2 : 16;
		char **g = realloc(a->s, cap * sizeof *g);
		if (!g) {
			free(s);
			return NULL;
		}
		a->s = g;
		a->cap = cap;
	}
	return a->s[a->n++] = s;
}

static void arena_free(arena *a)
{
	for (size_t i = 0; i < a->n; i++)
		free(a->s[i]);
	free(a->s);
	for (size_t i = 0; i < a->nkeys; i++)
		free(a->keys[i]);
}

/* A field read of an argument (or of a field of one): record it, and follow one more level. */
static int on_path_get(sa_lscan *s, arena *ar, const reg *base, const char *key, int line, int def, reg *dst)
{
	memset(dst, 0, sizeof *dst);
	if (!key || base->kind != R_PATH)
		return 0;
	if (add_ref(s, SA_LREF_ARG_FIELD, base->s, key, line, def) < 0)
		return -1;
	if (base->idx < 3) {
		size_t n = strlen(base->s) + strlen(key) + 2;
		char *p = malloc(n);
		if (!p)
			return -1;
		snprintf(p, n, "%s.%s", base->s, key);
		if (!(dst->s = arena_add(ar, p)))
			return -1;
		dst->kind = R_PATH;
		dst->idx = base->idx + 1;
	}
	return 0;
}

/* A field set on a table built in this function: note its key. */
static void on_table_set(arena *ar, const reg *t, const char *key)
{
	char *k, *g;
	size_t n;
	if (t->kind != R_TABLE || !key || (size_t)t->idx >= ar->nkeys)
		return;
	k = ar->keys[t->idx];
	n = strlen(key);
	for (char *p = k; p && *p;) { /* already there */
		size_t l = strcspn(p, ",");
		if (l == n && memcmp(p, key, n) == 0)
			return;
		p += l + (p[l] == ',');
	}
	if (!(g = realloc(k, strlen(k) + n + 2)))
		return;
	if (*g)
		strcat(g, ",");
	strcat(g, key);
	ar->keys[t->idx] = g;
}

static int is_env(const proto *f, int up)
{
	return up >= 0 && (size_t)up < f->nup && f->upnames[up] && strcmp(f->upnames[up], "_ENV") == 0;
}

static const char *kstr(const proto *f, int i)
{
	return i >= 0 && (size_t)i < f->nk ? f->k[i] : NULL;
}

/* A read of key from the table in base; result goes to *dst. */
static int on_get(sa_lscan *s, const reg *base, const char *key, int line, int def, reg *dst)
{
	memset(dst, 0, sizeof *dst);
	if (!key)
		return 0;
	if (base->kind == R_ENV) {
		dst->kind = R_GLOBAL;
		dst->s = key;
		return add_ref(s, SA_LREF_GET, NULL, key, line, def);
	}
	if (base->kind == R_GLOBAL) {
		/* functions that read a parameter named by a constant argument */
		if ((strcmp(base->s, "sa") == 0 && (strcmp(key, "param") == 0 || strcmp(key, "param_at") == 0)) ||
		    (strcmp(base->s, "rules") == 0 && strcmp(key, "param") == 0)) {
			dst->kind = R_PFUNC;
			dst->idx = strcmp(base->s, "rules") == 0 ? 2 : 1;
		}
		if (strcmp(base->s, "rules") == 0)
			return add_ref(s, SA_LREF_RULE_GET, NULL, key, line, def);
		if (strcmp(base->s, "super") == 0)
			return add_ref(s, SA_LREF_SUPER_GET, NULL, key, line, def);
		return add_ref(s, SA_LREF_FIELD_GET, base->s, key, line, def);
	}
	return 0;
}

/* A write of value into key of the table in base. Returns the new ref's index or -1 (none),
 * -2 on OOM. */
static int on_set(sa_lscan *s, const reg *base, const char *key, int line, int def)
{
	sa_lref_kind k;
	const char *b = NULL;
	if (!key || (base->kind != R_ENV && base->kind != R_GLOBAL))
		return -1;
	if (base->kind == R_ENV)
		k = SA_LREF_SET;
	else if (strcmp(base->s, "rules") == 0)
		k = SA_LREF_RULE_DEF;
	else if (strcmp(base->s, "super") == 0)
		k = SA_LREF_SUPER_SET;
	else {
		k = SA_LREF_FIELD_SET;
		b = base->s;
	}
	return add_ref(s, k, b, key, line, def) < 0 ? -2 : (int)s->n - 1;
}

static int float_ref(sa_lscan *s, const proto *f, int kidx, int line, int def)
{
	char text[64];
	if (kidx < 0 || (size_t)kidx >= f->nk || !f->kisf[kidx])
		return 0;
	snprintf(text, sizeof text, "%.14g", f->kf[kidx]);
	if (!strpbrk(text, ".eEni"))
		strcat(text, ".0");
	return add_ref(s, SA_LREF_FLOAT, NULL, text, line, def);
}

/* up: what each upvalue of f holds (NULL for the main chunk) */
static int walk(sa_lscan *s, const proto *f, int def, const reg *up, int body)
{
	reg R[256];
	int line = f->linedefined, *owner;
	size_t absi = 0;
	reg **childup;
	unsigned char *direct;
	int rc = 0;
	arena ar;
	memset(&ar, 0, sizeof ar);
	memset(R, 0, sizeof R);
	/* the arguments of a rule function (body: this is the function assigned to rules.x):
	 * field reads of them are what it needs (sa pack doc) */
	for (int i = 0; body && f->params && i < f->numparams && i < 256; i++)
		if (f->params[i]) {
			R[i].kind = R_PATH;
			R[i].s = f->params[i];
			R[i].idx = 1;
		}
	if (!(owner = malloc((f->np + 1) * sizeof *owner)))
		return -1;
	if (!(childup = calloc(f->np + 1, sizeof *childup)) || !(direct = calloc(f->np + 1, 1))) {
		free(childup);
		free(owner);
		return -1;
	}
	for (size_t i = 0; i < f->np; i++)
		owner[i] = def;
	for (size_t pc = 0; pc < f->ncode; pc++) {
		uint32_t ins = f->code[pc];
		int op = (int)(ins & 0x7f), a = (int)((ins >> 7) & 0xff), k = (int)((ins >> 15) & 1);
		int b = (int)((ins >> 16) & 0xff), c = (int)((ins >> 24) & 0xff), bx = (int)(ins >> 15);
		reg tmp;
		if (pc < f->nlineinfo) {
			if (f->lineinfo[pc] == ABSLINEINFO) {
				while (absi < f->nabs && (size_t)f->abspc[absi] < pc)
					absi++;
				if (absi < f->nabs && (size_t)f->abspc[absi] == pc)
					line = f->absline[absi];
			} else
				line += f->lineinfo[pc];
		}
		/* executable lines, for coverage: code inside functions (the top level runs at load) */
		if (f->linedefined > 0 && (s->nlines == 0 || s->lines[s->nlines - 1] != line)) {
			if (s->nlines == s->caplines) {
				size_t cap = s->caplines ? s->caplines * 2 : 256;
				int *g = realloc(s->lines, cap * sizeof *g);
				if (!g) {
					rc = -1;
					break;
				}
				s->lines = g;
				s->caplines = cap;
			}
			s->lines[s->nlines++] = line;
		}
		switch (op) {
		case OP_MOVE:
			R[a] = R[b];
			break;
		case OP_LOADK:
			memset(&R[a], 0, sizeof R[a]);
			if (kstr(f, bx)) {
				R[a].kind = R_KSTR;
				R[a].s = kstr(f, bx);
			} else
				rc = float_ref(s, f, bx, line, def);
			break;
		case OP_GETUPVAL:
			memset(&R[a], 0, sizeof R[a]);
			if (is_env(f, b))
				R[a].kind = R_ENV;
			else if (up && (size_t)b < f->nupdesc && up[b].kind == R_PFUNC)
				R[a] = up[b];
			break;
		case OP_LOADF:
			memset(&R[a], 0, sizeof R[a]);
			{
				char text[32];
				snprintf(text, sizeof text, "%d.0", bx - 0xffff);
				rc = add_ref(s, SA_LREF_FLOAT, NULL, text, line, def);
			}
			break;
		case OP_LOADKX:
			memset(&R[a], 0, sizeof R[a]);
			if (pc + 1 < f->ncode)
				rc = float_ref(s, f, (int)(f->code[pc + 1] >> 7), line, def);
			break;
		case OP_ADDK: case OP_SUBK: case OP_MULK: case OP_MODK: case OP_POWK: case OP_IDIVK:
			rc = float_ref(s, f, c, line, def);
			memset(&R[a], 0, sizeof R[a]);
			break;
		case OP_DIVK: case OP_DIV:
			rc = add_ref(s, SA_LREF_FLOAT, NULL, "/", line, def);
			memset(&R[a], 0, sizeof R[a]);
			break;
		case OP_GETTABUP:
			if (is_env(f, b)) {
				reg env = { R_ENV, NULL, 0 };
				rc = on_get(s, &env, kstr(f, c), line, def, &tmp);
				R[a] = tmp;
			} else
				memset(&R[a], 0, sizeof R[a]);
			break;
		case OP_GETFIELD:
			if (R[b].kind == R_PATH)
				rc = on_path_get(s, &ar, &R[b], kstr(f, c), line, def, &tmp);
			else
				rc = on_get(s, &R[b], kstr(f, c), line, def, &tmp);
			R[a] = tmp;
			break;
		case OP_NEWTABLE:
			memset(&R[a], 0, sizeof R[a]);
			if (ar.nkeys < sizeof ar.keys / sizeof *ar.keys && (ar.keys[ar.nkeys] = calloc(1, 1))) {
				R[a].kind = R_TABLE;
				R[a].idx = (int)ar.nkeys++;
			}
			break;
		case OP_RETURN: case OP_RETURN1: {
			char count[16];
			const char *keys = "";
			int nret = op == OP_RETURN1 ? 1 : b - 1;
			if (nret < 0)
				snprintf(count, sizeof count, "?");
			else
				snprintf(count, sizeof count, "%d", nret);
			if (nret != 0 && R[a].kind == R_TABLE && (size_t)R[a].idx < ar.nkeys)
				keys = ar.keys[R[a].idx];
			if (body && !(nret == 0 && pc + 1 == f->ncode)) /* not the implicit return at the end */
				rc = add_ref(s, SA_LREF_RETURN, count, keys, line, def);
			break;
		}
		case OP_GETTABLE:
			rc = on_get(s, &R[b], R[c].kind == R_KSTR ? R[c].s : NULL, line, def, &tmp);
			R[a] = tmp;
			break;
		case OP_SELF: {
			reg base = R[b];
			rc = on_get(s, &base, k ? kstr(f, c) : (R[c].kind == R_KSTR ? R[c].s : NULL), line, def, &tmp);
			memset(&R[a], 0, sizeof R[a]);
			if (a + 1 < 256)
				R[a + 1] = base;
			break;
		}
		case OP_SETTABUP:
			if (is_env(f, a)) {
				reg env = { R_ENV, NULL, 0 };
				rc = on_set(s, &env, kstr(f, b), line, def) == -2 ? -1 : 0;
			}
			break;
		case OP_SETFIELD:
		case OP_SETTABLE: {
			const char *key = op == OP_SETFIELD ? kstr(f, b) : (R[b].kind == R_KSTR ? R[b].s : NULL);
			int r;
			on_table_set(&ar, &R[a], key);
			r = on_set(s, &R[a], key, line, def);
			if (r == -2)
				rc = -1;
			else if (r >= 0 && !k && R[c].kind == R_CLOSURE && s->refs[r].kind == SA_LREF_RULE_DEF) {
				const proto *cp = f->p[R[c].idx];
				owner[R[c].idx] = r;
				direct[R[c].idx] = 1;
				s->refs[r].line = cp->linedefined ? cp->linedefined : line;
				s->refs[r].last_line = cp->lastline ? cp->lastline : line;
			}
			break;
		}
		case OP_CLOSURE:
			memset(&R[a], 0, sizeof R[a]);
			if ((size_t)bx < f->np) {
				const proto *cp = f->p[bx];
				R[a].kind = R_CLOSURE;
				R[a].idx = bx;
				/* what the closure captures: parameter readers held in locals or upvalues */
				if (cp && cp->nupdesc) {
					reg *cu = childup[bx];
					if (!cu && !(cu = childup[bx] = calloc(cp->nupdesc, sizeof *cu)))
						rc = -1;
					for (size_t u = 0; cu && u < cp->nupdesc; u++) {
						memset(&cu[u], 0, sizeof cu[u]);
						if (cp->upinstack[u])
							cu[u] = R[cp->upidx[u]];
						else if (up && cp->upidx[u] < f->nupdesc)
							cu[u] = up[cp->upidx[u]];
						if (cu[u].kind != R_PFUNC)
							memset(&cu[u], 0, sizeof cu[u]);
					}
				}
			}
			break;
		case OP_LOADNIL:
			for (int i = a; i <= a + b && i < 256; i++)
				memset(&R[i], 0, sizeof R[i]);
			break;
		case OP_CALL: case OP_TAILCALL:
			if (R[a].kind == R_PFUNC && a + R[a].idx < 256 && R[a + R[a].idx].kind == R_KSTR &&
			    (b == 0 || R[a].idx < b))
				rc = add_ref(s, SA_LREF_PARAM, NULL, R[a + R[a].idx].s, line, def);
			for (int i = a; i < 256; i++)
				memset(&R[i], 0, sizeof R[i]);
			break;
		case OP_VARARG: case OP_TFORCALL: case OP_CONCAT:
		case OP_FORLOOP: case OP_FORPREP: case OP_TFORPREP: case OP_TFORLOOP:
			for (int i = a; i < 256; i++)
				memset(&R[i], 0, sizeof R[i]);
			break;
		case OP_SETUPVAL: case OP_SETI: case OP_JMP: case OP_EQ: case OP_LT: case OP_LE: case OP_EQK:
		case OP_EQI: case OP_LTI: case OP_LEI: case OP_GTI: case OP_GEI: case OP_TEST:
		case OP_RETURN0: case OP_MMBIN: case OP_MMBINI: case OP_MMBINK: case OP_CLOSE:
		case OP_TBC: case OP_SETLIST: case OP_VARARGPREP: case OP_EXTRAARG:
			break;
		default:
			memset(&R[a], 0, sizeof R[a]);
		}
		if (rc < 0)
			break;
	}
	for (size_t i = 0; rc >= 0 && i < f->np; i++)
		if (f->p[i] && walk(s, f->p[i], owner[i], childup[i], direct[i]) < 0)
			rc = -1;
	for (size_t i = 0; i < f->np; i++)
		free(childup[i]);
	free(childup);
	free(direct);
	free(owner);
	arena_free(&ar);
	return rc < 0 ? -1 : 0;
}

static int writer(lua_State *L, const void *p, size_t sz, void *ud)
{
	sa_buf *b = ud;
	(void)L;
	sa__buf_add(b, p, sz);
	return b->oom ? 1 : 0;
}

typedef struct {
	const char *chunk, *text;
	size_t len;
	sa_buf dump;
	int syntax;
} scan_args;

static int scan_k(lua_State *L)
{
	scan_args *a = lua_touserdata(L, 1);
	if (luaL_loadbufferx(L, a->text, a->len, a->chunk, "t") != LUA_OK) {
		a->syntax = 1;
		return 1; /* the message */
	}
	if (lua_dump(L, writer, &a->dump, 0) != 0)
		return luaL_error(L, "not enough memory");
	return 0;
}

int sa__lua_scan(sa_lscan *out, const char *chunkname, const char *text, size_t len)
{
	lua_State *L = luaL_newstate();
	scan_args a = { NULL, text, len, { 0 }, 0 };
	char chunk[512];
	int rc = SA_OK, err = 0;
	proto *f;
	memset(out, 0, sizeof *out);
	if (!L)
		return sa__error_oom();
	snprintf(chunk, sizeof chunk, "=%s", chunkname);
	a.chunk = chunk;
	lua_pushcfunction(L, scan_k);
	lua_pushlightuserdata(L, &a);
	if (len && text[0] == LUA_SIGNATURE[0]) {
		out->error = strdup("binary chunks are not accepted");
		out->error_line = 1;
		goto done;
	}
	if (lua_pcall(L, 1, 1, 0) != LUA_OK) {
		rc = sa__error_oom();
		goto done;
	}
	if (a.syntax) {
		const char *msg = lua_tostring(L, -1);
		size_t cl = strlen(chunkname);
		msg = msg ? msg : "syntax error";
		if (strncmp(msg, chunkname, cl) == 0 && msg[cl] == ':') {
			char *end;
			long ln = strtol(msg + cl + 1, &end, 10);
			if (*end == ':') {
				out->error_line = (int)ln;
				msg = end + 1;
				while (*msg == ' ')
					msg++;
			}
		}
		if (!(out->error = strdup(msg)))
			rc = sa__error_oom();
		goto done;
	}
	f = read_dump((const unsigned char *)a.dump.s, a.dump.n, &err);
	if (!f || err) {
		proto_free(f);
		rc = err == 2 ? sa__error_oom() : sa__error(SA_ERROR, "%s: cannot read the compiled chunk", chunkname);
		goto done;
	}
	if (walk(out, f, -1, NULL, 0) < 0)
		rc = sa__error_oom();
	proto_free(f);
done:
	free(a.dump.s);
	lua_close(L);
	if (rc < 0)
		sa__lscan_free(out);
	return rc;
}

void sa__lscan_free(sa_lscan *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->n; i++) {
		free(s->refs[i].name);
		free(s->refs[i].base);
	}
	free(s->refs);
	free(s->lines);
	free(s->error);
	memset(s, 0, sizeof *s);
}

/* ---- the sandbox's names ---- */

static int push_name(char ***v, size_t *n, size_t *cap, const char *a, const char *b)
{
	char *s;
	if (*n == *cap) {
		size_t nc = *cap ? *cap * 2 : 64;
		char **g = realloc(*v, nc * sizeof *g);
		if (!g)
			return -1;
		*v = g;
		*cap = nc;
	}
	if (!(s = malloc(strlen(a) + (b ? strlen(b) + 1 : 0) + 1)))
		return -1;
	strcpy(s, a);
	if (b) {
		strcat(s, ".");
		strcat(s, b);
	}
	(*v)[(*n)++] = s;
	return 0;
}

void sa__strv_free(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

int sa__lua_sandbox_names(char ***out, size_t *n)
{
	/* a one-pack policy whose only rule is an empty rules.evaluate */
	static char text[] = "function rules.evaluate() end\n";
	static char fname[] = "lint/rules/empty.lua", id[] = "cn", title[] = "lint", version[] = "0";
	sa_pfile file;
	sa_pack pack, *chain[1];
	sa_policy pol;
	sa_lua *s;
	sa_lua_limits lim;
	size_t cap = 0;
	lua_State *L;
	int rc, oom = 0;
	*out = NULL;
	*n = 0;
	memset(&file, 0, sizeof file);
	memset(&pack, 0, sizeof pack);
	memset(&pol, 0, sizeof pol);
	memset(&lim, 0, sizeof lim);
	file.name = fname;
	file.text = text;
	file.len = sizeof text - 1;
	pack.id = id;
	pack.title = title;
	pack.version = version;
	pack.rules = &file;
	pack.nrules = 1;
	chain[0] = &pack;
	pol.chain = chain;
	pol.n = 1;
	pol.refs = 1;
	lim.memory_limit = (size_t)64 << 20;
	lim.instruction_limit = 100000000ULL;
	if ((rc = sa__lua_new(&s, &pol, &lim)) < 0)
		return rc;
	L = s->L;
	lua_settop(L, 0);
	if (lua_getfield(L, LUA_REGISTRYINDEX, "sa.base") == LUA_TTABLE) {
		lua_pushnil(L);
		while (!oom && lua_next(L, 1)) { /* 2: key, 3: value */
			if (lua_type(L, 2) == LUA_TSTRING) {
				const char *g = lua_tostring(L, 2);
				oom |= push_name(out, n, &cap, g, NULL) < 0;
				/* a library table, or a read-only proxy whose __index is the table */
				if (lua_istable(L, 3)) {
					int t = 3;
					/* proxies may be nested (a frozen proxy's table is frozen too) */
					for (int depth = 0; depth < 8 && sa__lua_backing(L, t); depth++)
						t = lua_gettop(L);
					lua_pushnil(L);
					while (!oom && lua_next(L, t)) {
						if (lua_type(L, -2) == LUA_TSTRING)
							oom |= push_name(out, n, &cap, g, lua_tostring(L, -2)) < 0;
						lua_pop(L, 1);
					}
				}
			}
			lua_settop(L, 2);
		}
	}
	lua_settop(L, 0);
	sa__lua_free(s);
	if (oom) {
		sa__strv_free(*out, *n);
		*out = NULL;
		*n = 0;
		return sa__error_oom();
	}
	return SA_OK;
}
