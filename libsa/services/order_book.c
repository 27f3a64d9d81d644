/* order_book.c - service orders as records (include/sa/orders.h): events applied to a book,
 * journals replayed, budgets checked against orders already placed, provider ratings over a
 * window of follow-ups. */
#include "services/services_internal.h"
#include "core/limits.h"
#include "sa/orders.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Hostile-input bounds: a journal line, an id, a quantity. */

typedef enum { ST_APPLIED, ST_ORDERED, ST_DISPATCHED, ST_ACCEPTED, ST_REJECTED, ST_SERVED, ST_DONE } state;

/* The steps an event may name, the state each leads to, and the states it may follow. */
static const struct {
	const char *name, *zh;
	state to;
	unsigned from; /* bit mask of states */
} steps[] = {
	{ "apply", "申请", ST_APPLIED, 0 },
	{ "order", "点单", ST_ORDERED, 1u << ST_APPLIED },
	{ "dispatch", "派单", ST_DISPATCHED, 1u << ST_ORDERED | 1u << ST_REJECTED },
	{ "accept", "接单", ST_ACCEPTED, 1u << ST_DISPATCHED },
	{ "reject", "拒单", ST_REJECTED, 1u << ST_DISPATCHED },
	{ "serve", "服务", ST_SERVED, 1u << ST_ACCEPTED },
	{ "follow_up", "回访", ST_DONE, 1u << ST_SERVED },
};
#define NSTEPS (sizeof steps / sizeof *steps)
enum { STEP_APPLY, STEP_ORDER, STEP_DISPATCH, STEP_ACCEPT, STEP_REJECT, STEP_SERVE, STEP_FOLLOW_UP };

static const char *const state_names[] = { "applied", "ordered", "dispatched", "accepted",
	                                   "rejected", "served", "followed_up" };
static const char *const state_zh[] = { "已申请", "已点单", "已派单", "已接单", "已拒单", "已服务", "已回访" };

typedef struct {
	char *id, *name;
	bool has_price;
	sa_fen price;
	int max_per_year, follow_up_days;
} book_item;

typedef struct {
	int step;
	char at[20]; /* YYYY-MM-DDTHH:MM:SS */
	char *provider;
} entry;

typedef struct {
	char *id, *household, *member, *provider;
	size_t item;
	int quantity;
	state st;
	int score;           /* 0: none */
	int flag;            /* 0 none, 1 minor, 2 serious */
	char *note;
	entry *hist;
	size_t nhist;
	char last_at[20];
	char step_at[NSTEPS][20]; /* latest time of each step; "" when not done */
} order;

typedef struct {
	size_t line;
	int truncated;
	char *message;
} problem;

struct sa_order_book {
	book_item *items;
	size_t nitems;
	bool has_budget;
	sa_fen budget;
	int chain_days[5]; /* the catalog's: [1] order, [2] dispatch, [3] serve, [4] follow_up */
	int scale, green_min, yellow_min, min_ratings;
	order *orders;
	size_t norders, cap;
	problem *problems;
	size_t nproblems, pcap;
};

static char *dup_s(const char *s)
{
	return s ? strdup(s) : NULL;
}

int sa_order_book_new(sa_order_book **out, const sa_catalog *c)
{
	sa_order_book *b;
	*out = NULL;
	if (!c)
		return sa__error(SA_EINVALID, "sa_order_book_new: NULL catalog");
	if (!(b = calloc(1, sizeof *b)) || (c->nitems && !(b->items = calloc(c->nitems, sizeof *b->items)))) {
		free(b);
		return sa__error_oom();
	}
	for (size_t i = 0; i < c->nitems; i++) {
		book_item *it = &b->items[b->nitems++];
		it->id = dup_s(c->items[i].id);
		it->name = dup_s(c->items[i].name ? c->items[i].name : c->items[i].id);
		if (!it->id || !it->name) {
			sa_order_book_free(b);
			return sa__error_oom();
		}
		it->has_price = c->items[i].has_price;
		it->price = c->items[i].price;
		it->max_per_year = c->items[i].max_per_year;
		it->follow_up_days = c->items[i].follow_up_days;
	}
	b->has_budget = c->has_budget;
	b->budget = c->budget;
	memcpy(b->chain_days, c->chain_days, sizeof b->chain_days);
	b->scale = c->scale;
	b->green_min = c->green_min;
	b->yellow_min = c->yellow_min;
	b->min_ratings = c->min_ratings;
	*out = b;
	return SA_OK;
}

static void order_clear(order *o)
{
	free(o->id);
	free(o->household);
	free(o->member);
	free(o->provider);
	free(o->note);
	for (size_t i = 0; i < o->nhist; i++)
		free(o->hist[i].provider);
	free(o->hist);
}

void sa_order_book_free(sa_order_book *b)
{
	if (!b)
		return;
	for (size_t i = 0; i < b->nitems; i++) {
		free(b->items[i].id);
		free(b->items[i].name);
	}
	free(b->items);
	for (size_t i = 0; i < b->norders; i++)
		order_clear(&b->orders[i]);
	free(b->orders);
	for (size_t i = 0; i < b->nproblems; i++)
		free(b->problems[i].message);
	free(b->problems);
	free(b);
}

/* ------------------------------------------------------------------ reading an event */

static order *find_order(const sa_order_book *b, const char *id)
{
	for (size_t i = 0; i < b->norders; i++)
		if (strcmp(b->orders[i].id, id) == 0)
			return &b->orders[i];
	return NULL;
}

static int find_item(const sa_order_book *b, const char *id)
{
	for (size_t i = 0; i < b->nitems; i++)
		if (strcmp(b->items[i].id, id) == 0)
			return (int)i;
	return -1;
}

/* A string field: NULL when absent; *bad set when present but not a usable string. */
static const char *field(const cJSON *ev, const char *k, bool *bad)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(ev, k);
	size_t n;
	if (!v || cJSON_IsNull(v))
		return NULL;
	if (!cJSON_IsString(v) || !(n = strlen(v->valuestring)) || n > SA_ORDER_MAX_ID_BYTES) {
		*bad = true;
		return NULL;
	}
	return v->valuestring;
}

/* "YYYY-MM-DD" or "YYYY-MM-DDTHH:MM[:SS]" to "YYYY-MM-DDTHH:MM:SS"; the date as YYYYMMDD. */
static int parse_at(char out[20], sa_date *day, const char *s)
{
	char date[11];
	int hh = 0, mm = 0, ss = 0;
	size_t n = strlen(s);
	if (n < 10)
		return -1;
	memcpy(date, s, 10);
	date[10] = 0;
	if (sa_date_parse(day, date) < 0)
		return -1;
	if (n > 10) {
		char tail[16];
		if (s[10] != 'T' && s[10] != ' ')
			return -1;
		if (n == 16 && sscanf(s + 11, "%2d:%2d", &hh, &mm) == 2 && s[13] == ':')
			ss = 0;
		else if (n == 19 && sscanf(s + 11, "%2d:%2d:%2d", &hh, &mm, &ss) == 3 && s[13] == ':' && s[16] == ':')
			;
		else
			return -1;
		if (hh > 23 || mm > 59 || ss > 59 || hh < 0 || mm < 0 || ss < 0)
			return -1;
		(void)tail;
	}
	snprintf(out, 20, "%.10sT%02d:%02d:%02d", s, hh, mm, ss);
	return 0;
}

static sa_date day_of(const char at[20])
{
	sa_date d = 0;
	char date[11];
	memcpy(date, at, 10);
	date[10] = 0;
	sa_date_parse(&d, date);
	return d;
}

static int step_of(const char *name)
{
	for (size_t i = 0; name && i < NSTEPS; i++)
		if (strcmp(steps[i].name, name) == 0)
			return (int)i;
	return -1;
}

/* The amount of an order: price × quantity (no price: 0). */
static int order_amount(sa_fen *out, const book_item *it, int quantity)
{
	*out = 0;
	if (!it->has_price)
		return 0;
	if (__builtin_mul_overflow(it->price, (sa_fen)quantity, out))
		return sa__error(SA_EINVALID, "订单金额溢出 / the order's amount overflows");
	return 0;
}

/* What member of household has applied for in year: money, and the quantity of item (or -1). */
static int spent_in_year(sa_fen *money, int *qty, const sa_order_book *b, const char *household,
                         const char *member, int year, int item)
{
	*money = 0;
	*qty = 0;
	for (size_t i = 0; i < b->norders; i++) {
		const order *o = &b->orders[i];
		sa_fen a;
		if (strcmp(o->household, household) != 0 || strcmp(o->member, member) != 0 ||
		    day_of(o->step_at[STEP_APPLY]) / 10000 != year)
			continue;
		if (order_amount(&a, &b->items[o->item], o->quantity) < 0 || __builtin_add_overflow(*money, a, money))
			return sa__error(SA_EINVALID, "年度已用金额溢出 / the year's spending overflows");
		if ((int)o->item == item)
			*qty += o->quantity;
	}
	return 0;
}

static int new_order(sa_order_book *b, const cJSON *ev, const char *id, const char *at, char *gen_id, bool *bad)
{
	const char *hh = field(ev, "household", bad), *mem = field(ev, "member", bad), *item = field(ev, "item", bad);
	const cJSON *q = cJSON_GetObjectItemCaseSensitive(ev, "quantity");
	int quantity = 1, idx, year, used_qty;
	sa_fen amount, spent;
	order *o;
	if (*bad || !hh || !mem || !item)
		return sa__error(SA_EINVALID, "申请须写明 household、member、item（非空文本）/ an application needs household, member and item (non-empty text)");
	if (q && !cJSON_IsNull(q)) {
		if (!cJSON_IsNumber(q) || q->valuedouble != (double)(int)q->valuedouble || q->valuedouble < 1 ||
		    q->valuedouble > SA_ORDER_MAX_QUANTITY)
			return sa__error(SA_EINVALID, "quantity 须为 1 至 %d 的整数 / quantity must be a whole number from 1 to %d",
			                 SA_ORDER_MAX_QUANTITY, SA_ORDER_MAX_QUANTITY);
		quantity = (int)q->valuedouble;
	}
	if ((idx = find_item(b, item)) < 0)
		return sa__error(SA_EINVALID, "服务目录中没有项目 %s / the catalog has no item %s", item, item);
	if (id && find_order(b, id))
		return sa__error(SA_EINVALID, "订单 %s 已存在 / order %s already exists", id, id);
	if (!id) {
		snprintf(gen_id, 32, "O%06zu", b->norders + 1);
		for (size_t n = b->norders + 1; find_order(b, gen_id); n++)
			snprintf(gen_id, 32, "O%06zu", n + 1);
		id = gen_id;
	}
	year = day_of(at) / 10000;
	if (order_amount(&amount, &b->items[idx], quantity) < 0 ||
	    spent_in_year(&spent, &used_qty, b, hh, mem, year, idx) < 0)
		return SA_EINVALID;
	if (b->items[idx].max_per_year && used_qty + quantity > b->items[idx].max_per_year)
		return sa__error(SA_EINVALID,
		                 "%s 每年最多 %d %s，%d 年已申请 %d，本单 %d / %s: at most %d a year; %d already applied for in %d, this order %d",
		                 b->items[idx].name, b->items[idx].max_per_year, "次", year, used_qty, quantity, item,
		                 b->items[idx].max_per_year, used_qty, year, quantity);
	if (b->has_budget) {
		sa_fen total;
		if (__builtin_add_overflow(spent, amount, &total) || total > b->budget) {
			char s[32], a[32], bud[32];
			sa_money_format(s, sizeof s, spent);
			sa_money_format(a, sizeof a, amount);
			sa_money_format(bud, sizeof bud, b->budget);
			return sa__error(SA_EINVALID,
			                 "超出年度预算：%d 年已申请 %s 元，本单 %s 元，预算 %s 元 / over the yearly budget: %s applied for in %d, this order %s, budget %s",
			                 year, s, a, bud, s, year, a, bud);
		}
	}
	if (b->norders == b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 16;
		order *no = realloc(b->orders, cap * sizeof *no);
		if (!no)
			return sa__error_oom();
		b->orders = no;
		b->cap = cap;
	}
	o = &b->orders[b->norders];
	memset(o, 0, sizeof *o);
	o->item = (size_t)idx;
	o->quantity = quantity;
	o->st = ST_APPLIED;
	if (!(o->id = strdup(id)) || !(o->household = strdup(hh)) || !(o->member = strdup(mem))) {
		order_clear(o);
		return sa__error_oom();
	}
	b->norders++;
	return SA_OK;
}

/* Check an event against the book; apply it only when every check passes. */
static int apply_event(sa_order_book *b, cJSON *ev, char **canonical)
{
	bool bad = false;
	const char *ename = field(ev, "event", &bad), *id = field(ev, "order", &bad), *at_s = field(ev, "at", &bad);
	const char *provider = field(ev, "provider", &bad), *note = field(ev, "note", &bad), *flag_s = field(ev, "flag", &bad);
	const cJSON *score_j = cJSON_GetObjectItemCaseSensitive(ev, "score");
	char at[20], gen_id[32];
	sa_date day;
	int step, score = 0, flag = 0, rc;
	order *o = NULL;
	entry *nh;

	if (!cJSON_IsObject(ev))
		return sa__error(SA_EINVALID, "事件须为 JSON 对象 / an event must be a JSON object");
	if (bad)
		return sa__error(SA_EINVALID, "事件字段须为非空文本（至多 %d 字节）/ event fields must be non-empty text of at most %d bytes",
		                 SA_ORDER_MAX_ID_BYTES, SA_ORDER_MAX_ID_BYTES);
	if ((step = step_of(ename)) < 0)
		return sa__error(SA_EINVALID,
		                 "未知步骤 '%s'：应为 apply、order、dispatch、accept、reject、serve、follow_up / unknown event '%s': expected apply, order, dispatch, accept, reject, serve or follow_up",
		                 ename ? ename : "", ename ? ename : "");
	if (!at_s || parse_at(at, &day, at_s) < 0)
		return sa__error(SA_EINVALID, "'at' 须为 YYYY-MM-DD 或 YYYY-MM-DDTHH:MM[:SS] / 'at' must be YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS]");
	if (step != STEP_APPLY) {
		if (!id)
			return sa__error(SA_EINVALID, "事件缺少 'order' / the event names no order");
		if (!(o = find_order(b, id)))
			return sa__error(SA_ENOTFOUND, "没有订单 %s / no order %s", id, id);
		if (!(steps[step].from & (1u << o->st)))
			return sa__error(SA_EINVALID,
			                 "订单 %s：%s 不能接在 %s 之后；顺序为 申请 → 点单 → 派单 → 接单/拒单 → 服务 → 回访 / order %s: %s cannot follow the state %s; the chain is apply → order → dispatch → accept/reject → serve → follow_up",
			                 id, steps[step].zh, state_zh[o->st], id, steps[step].name, state_names[o->st]);
		if (strcmp(at, o->last_at) < 0)
			return sa__error(SA_EINVALID, "订单 %s：%s 时间 %s 早于上一步 %s / order %s: %s at %s is before the previous step at %s",
			                 id, steps[step].zh, at, o->last_at, id, steps[step].name, at, o->last_at);
		if (step == STEP_DISPATCH && !provider)
			return sa__error(SA_EINVALID, "派单须写明 provider / a dispatch names the provider");
		if ((step == STEP_ACCEPT || step == STEP_REJECT) && provider && o->provider && strcmp(provider, o->provider) != 0)
			return sa__error(SA_EINVALID, "订单 %s 派给 %s，不是 %s / order %s was dispatched to %s, not %s", id, o->provider,
			                 provider, id, o->provider, provider);
		if (step == STEP_FOLLOW_UP) {
			if (!score_j || !cJSON_IsNumber(score_j) || score_j->valuedouble != (double)(int)score_j->valuedouble ||
			    score_j->valuedouble < 1 || score_j->valuedouble > b->scale)
				return sa__error(SA_EINVALID, "回访须有评分 score（1 至 %d 的整数）/ a follow-up needs a score, a whole number from 1 to %d",
				                 b->scale, b->scale);
			score = (int)score_j->valuedouble;
			if (flag_s && strcmp(flag_s, "minor") == 0)
				flag = 1;
			else if (flag_s && strcmp(flag_s, "serious") == 0)
				flag = 2;
			else if (flag_s)
				return sa__error(SA_EINVALID, "flag 须为 minor（轻微问题）或 serious（严重违规）/ flag must be minor or serious");
		}
	} else if ((rc = new_order(b, ev, id, at, gen_id, &bad)) < 0) {
		return rc;
	} else {
		o = &b->orders[b->norders - 1];
	}

	/* Every check passed: record the step. */
	if (!(nh = realloc(o->hist, (o->nhist + 1) * sizeof *nh)))
		goto oom;
	o->hist = nh;
	memset(&nh[o->nhist], 0, sizeof *nh);
	nh[o->nhist].step = step;
	memcpy(nh[o->nhist].at, at, 20);
	if (step == STEP_DISPATCH || step == STEP_ACCEPT || step == STEP_REJECT) {
		const char *p = provider ? provider : o->provider;
		if (p && !(nh[o->nhist].provider = strdup(p)))
			goto oom;
	}
	o->nhist++;
	if (step == STEP_DISPATCH) {
		char *p = strdup(provider);
		if (!p)
			goto oom;
		free(o->provider);
		o->provider = p;
	}
	if (step == STEP_FOLLOW_UP) {
		o->score = score;
		o->flag = flag;
		if (note && !(o->note = strdup(note)))
			goto oom;
	}
	o->st = steps[step].to;
	memcpy(o->last_at, at, 20);
	memcpy(o->step_at[step], at, 20);

	if (canonical) {
		cJSON *c = cJSON_CreateObject();
		*canonical = NULL;
		if (!c || !cJSON_AddStringToObject(c, "event", steps[step].name) || !cJSON_AddStringToObject(c, "order", o->id) ||
		    !cJSON_AddStringToObject(c, "at", at))
			goto oom_c;
		if (step == STEP_APPLY &&
		    (!cJSON_AddStringToObject(c, "household", o->household) || !cJSON_AddStringToObject(c, "member", o->member) ||
		     !cJSON_AddStringToObject(c, "item", b->items[o->item].id) ||
		     !cJSON_AddNumberToObject(c, "quantity", o->quantity)))
			goto oom_c;
		if (provider && !cJSON_AddStringToObject(c, "provider", provider))
			goto oom_c;
		if (step == STEP_FOLLOW_UP && (!cJSON_AddNumberToObject(c, "score", score) ||
		                               (flag && !cJSON_AddStringToObject(c, "flag", flag == 1 ? "minor" : "serious"))))
			goto oom_c;
		if (note && !cJSON_AddStringToObject(c, "note", note))
			goto oom_c;
		*canonical = cJSON_PrintUnformatted(c);
		cJSON_Delete(c);
		if (!*canonical)
			return sa__error_oom();
		return SA_OK;
	oom_c:
		cJSON_Delete(c);
		return sa__error_oom();
	}
	return SA_OK;
oom:
	return sa__error_oom();
}

int sa_order_book_apply(char **canonical, sa_order_book *b, const char *json, size_t len)
{
	cJSON *ev;
	int rc;
	if (canonical)
		*canonical = NULL;
	if (!b || !json)
		return sa__error(SA_EINVALID, "sa_order_book_apply: NULL argument");
	if (len > SA_ORDER_MAX_EVENT_BYTES)
		return sa__error(SA_EINVALID, "事件超过 %d 字节 / an event is longer than %d bytes", SA_ORDER_MAX_EVENT_BYTES, SA_ORDER_MAX_EVENT_BYTES);
	if (memchr(json, 0, len) || !(ev = cJSON_ParseWithLength(json, len)))
		return sa__error(SA_EINVALID, "事件不是合法 JSON / the event is not valid JSON");
	rc = apply_event(b, ev, canonical);
	cJSON_Delete(ev);
	return rc;
}

/* ------------------------------------------------------------------ journals */

static int add_problem(sa_order_book *b, size_t line, int truncated, const char *name, const char *msg)
{
	problem *np;
	char buf[1024];
	if (b->nproblems == b->pcap) {
		size_t cap = b->pcap ? b->pcap * 2 : 8;
		if (!(np = realloc(b->problems, cap * sizeof *np)))
			return sa__error_oom();
		b->problems = np;
		b->pcap = cap;
	}
	snprintf(buf, sizeof buf, "%s:%zu: %s", name ? name : "journal", line, msg);
	if (!(b->problems[b->nproblems].message = strdup(buf)))
		return sa__error_oom();
	b->problems[b->nproblems].line = line;
	b->problems[b->nproblems].truncated = truncated;
	b->nproblems++;
	return SA_OK;
}

int sa_order_book_replay(sa_order_book *b, const char *text, size_t len, const char *name)
{
	size_t line = 0, pos = 0;
	if (!b || (!text && len))
		return sa__error(SA_EINVALID, "sa_order_book_replay: NULL argument");
	while (pos < len) {
		const char *s = text + pos, *nl = memchr(s, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - s) : len - pos;
		line++;
		pos += n + (nl ? 1 : 0);
		if (n && s[n - 1] == '\r')
			n--;
		if (!nl) {
			if (add_problem(b, line, 1, name,
			                "最后一行不完整（写入被中断），未采用 / the last line is cut short (an interrupted write) and was not applied") < 0)
				return SA_ENOMEM;
			break;
		}
		if (n == 0)
			continue;
		if (sa_order_book_apply(NULL, b, s, n) < 0) {
			const sa_error *e = sa_error_last();
			if (e && e->code == SA_ENOMEM) /* not a bad line: the book holds the lines before it */
				return SA_ENOMEM;
			if (add_problem(b, line, 0, name, e ? e->message : "refused") < 0)
				return SA_ENOMEM;
		}
	}
	sa_error_clear();
	return SA_OK;
}

size_t sa_order_book_problem_count(const sa_order_book *b)
{
	return b ? b->nproblems : 0;
}

int sa_order_book_problem(size_t *line, int *truncated, const char **message, const sa_order_book *b, size_t i)
{
	if (!b || i >= b->nproblems)
		return SA_ENOTFOUND;
	if (line)
		*line = b->problems[i].line;
	if (truncated)
		*truncated = b->problems[i].truncated;
	if (message)
		*message = b->problems[i].message;
	return SA_OK;
}

size_t sa_order_book_count(const sa_order_book *b)
{
	return b ? b->norders : 0;
}

const char *sa_order_book_id(const sa_order_book *b, size_t i)
{
	return b && i < b->norders ? b->orders[i].id : NULL;
}

/* ------------------------------------------------------------------ records */

/* The next step of an order and its due date (0: no deadline); -1 when the chain is done. */
static int next_due(const sa_order_book *b, const order *o, sa_date *due)
{
	int next, days;
	*due = 0;
	switch (o->st) {
	case ST_APPLIED: next = STEP_ORDER; days = b->chain_days[1]; break;
	case ST_ORDERED:
	case ST_REJECTED: next = STEP_DISPATCH; days = b->chain_days[2]; break;
	case ST_DISPATCHED: next = STEP_ACCEPT; days = b->chain_days[3]; break;
	case ST_ACCEPTED: next = STEP_SERVE; days = b->chain_days[3]; break;
	case ST_SERVED:
		next = STEP_FOLLOW_UP;
		days = b->items[o->item].follow_up_days >= 0 ? b->items[o->item].follow_up_days : b->chain_days[4];
		break;
	default: return -1;
	}
	/* accept and serve share the serve deadline, counted from the dispatch */
	if (days >= 0) {
		const char *from = o->st == ST_ACCEPTED ? o->step_at[STEP_DISPATCH] : o->last_at;
		*due = sa__date_add_days(day_of(from), days);
	}
	return next;
}

static cJSON *record(const sa_order_book *b, const order *o, sa_date today)
{
	cJSON *r = cJSON_CreateObject(), *st, *h;
	const book_item *it = &b->items[o->item];
	char buf[32];
	sa_fen amount = 0;
	sa_date due;
	int next;
	bool ok = r != NULL;
	if (!ok)
		return NULL;
	ok = cJSON_AddStringToObject(r, "id", o->id) && cJSON_AddStringToObject(r, "household", o->household) &&
	     cJSON_AddStringToObject(r, "member", o->member) && cJSON_AddStringToObject(r, "item", it->id) &&
	     cJSON_AddStringToObject(r, "item_name", it->name) &&
	     (o->provider ? cJSON_AddStringToObject(r, "provider", o->provider) : cJSON_AddNullToObject(r, "provider")) &&
	     cJSON_AddNumberToObject(r, "quantity", o->quantity);
	if (ok && it->has_price && order_amount(&amount, it, o->quantity) == 0) {
		sa_money_format(buf, sizeof buf, amount);
		ok = cJSON_AddStringToObject(r, "amount", buf) && cJSON_AddNumberToObject(r, "amount_fen", (double)amount);
	}
	ok = ok && cJSON_AddStringToObject(r, "state", state_names[o->st]) &&
	     cJSON_AddStringToObject(r, "state_zh", state_zh[o->st]) && (st = cJSON_AddObjectToObject(r, "steps"));
	for (size_t s = 0; ok && s < NSTEPS; s++)
		ok = o->step_at[s][0] ? cJSON_AddStringToObject(st, steps[s].name, o->step_at[s]) != NULL
		                      : cJSON_AddNullToObject(st, steps[s].name) != NULL;
	ok = ok && (h = cJSON_AddArrayToObject(r, "history"));
	for (size_t i = 0; ok && i < o->nhist; i++) {
		cJSON *e = cJSON_CreateObject();
		ok = e && cJSON_AddItemToArray(h, e) && cJSON_AddStringToObject(e, "step", steps[o->hist[i].step].name) &&
		     cJSON_AddStringToObject(e, "zh", steps[o->hist[i].step].zh) &&
		     cJSON_AddStringToObject(e, "at", o->hist[i].at) &&
		     (!o->hist[i].provider || cJSON_AddStringToObject(e, "provider", o->hist[i].provider));
	}
	if (ok && o->st == ST_DONE)
		ok = cJSON_AddNumberToObject(r, "score", o->score) &&
		     (o->flag ? cJSON_AddStringToObject(r, "flag", o->flag == 1 ? "minor" : "serious")
		              : cJSON_AddNullToObject(r, "flag")) &&
		     (!o->note || cJSON_AddStringToObject(r, "note", o->note));
	next = next_due(b, o, &due);
	if (ok && next >= 0) {
		cJSON *n = cJSON_AddObjectToObject(r, "next");
		ok = n && cJSON_AddStringToObject(n, "step", steps[next].name) && cJSON_AddStringToObject(n, "zh", steps[next].zh);
		if (ok && next == STEP_ACCEPT)
			ok = cJSON_AddStringToObject(n, "or", steps[STEP_REJECT].name) != NULL;
		if (ok && due) {
			sa_date_format(buf, sizeof buf, due);
			ok = cJSON_AddStringToObject(n, "due", buf) != NULL;
		} else if (ok)
			ok = cJSON_AddNullToObject(n, "due") != NULL;
		if (ok && today)
			ok = cJSON_AddBoolToObject(n, "overdue", due && today > due) != NULL;
	} else if (ok)
		ok = cJSON_AddNullToObject(r, "next") != NULL;
	if (!ok) {
		cJSON_Delete(r);
		return NULL;
	}
	return r;
}

int sa_order_book_order_json(char **out, const sa_order_book *b, const char *id, sa_date today)
{
	const order *o;
	cJSON *r;
	*out = NULL;
	if (!b || !id)
		return sa__error(SA_EINVALID, "sa_order_book_order_json: NULL argument");
	if (!(o = find_order(b, id)))
		return sa__error(SA_ENOTFOUND, "没有订单 %s / no order %s", id, id);
	if (!(r = record(b, o, today)))
		return sa__error_oom();
	*out = cJSON_PrintUnformatted(r);
	cJSON_Delete(r);
	return *out ? SA_OK : sa__error_oom();
}

int sa_order_book_to_json(char **out, const sa_order_book *b, sa_date today, unsigned int flags)
{
	cJSON *arr;
	*out = NULL;
	if (!b)
		return sa__error(SA_EINVALID, "sa_order_book_to_json: NULL book");
	if (!(arr = cJSON_CreateArray()))
		return sa__error_oom();
	for (size_t i = 0; i < b->norders; i++) {
		cJSON *r = record(b, &b->orders[i], today);
		if (!r || !cJSON_AddItemToArray(arr, r)) {
			cJSON_Delete(r);
			cJSON_Delete(arr);
			return sa__error_oom();
		}
	}
	if (flags & SA_JSON_PRETTY) {
		*out = cJSON_Print(arr);
	} else {
		/* JSON lines: one compact record per line */
		size_t total = 0, n = 0;
		char **lines = calloc(b->norders ? b->norders : 1, sizeof *lines);
		bool ok = lines != NULL;
		for (cJSON *r = arr->child; ok && r; r = r->next, n++)
			if (!(lines[n] = cJSON_PrintUnformatted(r)))
				ok = false;
			else
				total += strlen(lines[n]) + 1;
		if (ok && (*out = malloc(total + 1))) {
			char *p = *out;
			for (size_t i = 0; i < n; i++) {
				size_t l = strlen(lines[i]);
				memcpy(p, lines[i], l);
				p += l;
				*p++ = '\n';
			}
			*p = 0;
		}
		for (size_t i = 0; lines && i < n; i++)
			free(lines[i]);
		free(lines);
	}
	cJSON_Delete(arr);
	return *out ? SA_OK : sa__error_oom();
}

/* ------------------------------------------------------------------ ratings and budgets */

int sa_order_book_rating(sa_provider_rating *out, const sa_order_book *b, const char *provider, sa_date from,
                         sa_date to)
{
	int64_t sum = 0;
	memset(out, 0, sizeof *out);
	if (!b || !provider)
		return sa__error(SA_EINVALID, "sa_order_book_rating: NULL argument");
	for (size_t i = 0; i < b->norders; i++) {
		const order *o = &b->orders[i];
		sa_date d;
		if (o->st != ST_DONE || !o->provider || strcmp(o->provider, provider) != 0)
			continue;
		d = day_of(o->step_at[STEP_FOLLOW_UP]);
		if ((from && d < from) || (to && d > to))
			continue;
		sum += o->score;
		out->scores++;
		out->minor_flags += o->flag == 1;
		out->serious_flags += o->flag == 2;
	}
	if (!out->scores)
		return SA_ENOTFOUND;
	out->avg_x100 = (int)((sum * 100 + (int64_t)out->scores / 2) / (int64_t)out->scores);
	out->light = sa__rating_light(b->scale, b->green_min, b->yellow_min, b->min_ratings, sum, out->scores,
	                              out->minor_flags, out->serious_flags);
	return SA_OK;
}

int sa_order_book_spent(sa_fen *spent, sa_fen *budget, const sa_order_book *b, const char *household,
                        const char *member, int year)
{
	int qty;
	*spent = 0;
	if (budget)
		*budget = -1;
	if (!b || !household || !member)
		return sa__error(SA_EINVALID, "sa_order_book_spent: NULL argument");
	if (budget && b->has_budget)
		*budget = b->budget;
	return spent_in_year(spent, &qty, b, household, member, year, -1);
}
