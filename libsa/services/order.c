/* order.c - the order chain of one service item: apply, order, dispatch, serve, follow up. */
#include "services/services_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ the order chain */

struct sa_order {
	const struct sa_catalog *c;
	int item;
	int state;
	sa_date dates[5];
};

static const char *const step_names[5] = { "apply", "order", "dispatch", "serve", "follow_up" };
static const char *const step_zh[5] = { "申请", "点单", "派单", "服务", "回访" };

const char *sa_order_step_name(sa_order_step s)
{
	return (unsigned)s < 5 ? step_names[s] : NULL;
}

const char *sa_order_step_zh(sa_order_step s)
{
	return (unsigned)s < 5 ? step_zh[s] : NULL;
}

int sa_order_new(sa_order **out, const sa_catalog *c, const char *item_id, sa_date applied)
{
	sa_order *o;
	int idx;
	*out = NULL;
	if (!c || !item_id)
		return sa__error(SA_EINVALID, "sa_order_new: NULL argument");
	if ((idx = sa_catalog_item_find(c, item_id)) < 0)
		return sa__error(SA_ENOTFOUND, "the catalog has no item %s", item_id);
	if (!sa_date_valid(applied))
		return sa__error(SA_EINVALID, "sa_order_new: %d is not a date", (int)applied);
	if (!(o = calloc(1, sizeof *o)))
		return sa__error_oom();
	o->c = sa__catalog_retain(c); /* the engine may reload and drop its own reference */
	o->item = idx;
	o->state = SA_ORDER_APPLY;
	o->dates[0] = applied;
	*out = o;
	return SA_OK;
}

void sa_order_free(sa_order *o)
{
	if (o)
		sa__catalog_free((struct sa_catalog *)o->c);
	free(o);
}

int sa_order_advance(sa_order *o, sa_order_step step, sa_date date)
{
	if (!o)
		return sa__error(SA_EINVALID, "sa_order_advance: NULL order");
	if ((unsigned)step > 4 || (int)step != o->state + 1)
		return sa__error(SA_EINVALID, "order of %s: %s (%s) cannot follow %s (%s); the chain is 申请 → 点单 → 派单 → 服务 → 回访",
		                 o->c->items[o->item].id, (unsigned)step < 5 ? step_names[step] : "?",
		                 (unsigned)step < 5 ? step_zh[step] : "?", step_names[o->state], step_zh[o->state]);
	if (!sa_date_valid(date))
		return sa__error(SA_EINVALID, "sa_order_advance: %d is not a date", (int)date);
	if (date < o->dates[o->state])
		return sa__error(SA_EINVALID, "order of %s: %s on %d is before %s on %d", o->c->items[o->item].id,
		                 step_names[step], (int)date, step_names[o->state], (int)o->dates[o->state]);
	o->dates[step] = date;
	o->state = (int)step;
	return SA_OK;
}

sa_order_step sa_order_state(const sa_order *o)
{
	return o ? (sa_order_step)o->state : SA_ORDER_APPLY;
}

sa_date sa_order_date(const sa_order *o, sa_order_step s)
{
	return o && (unsigned)s < 5 && (int)s <= o->state ? o->dates[s] : 0;
}

sa_date sa_order_due(const sa_order *o, sa_order_step s)
{
	int days;
	if (!o || (unsigned)s > 4 || s == SA_ORDER_APPLY || (int)s - 1 > o->state)
		return 0;
	days = o->c->chain_days[s];
	if (s == SA_ORDER_FOLLOW_UP && o->c->items[o->item].follow_up_days >= 0)
		days = o->c->items[o->item].follow_up_days;
	return days < 0 ? 0 : sa__date_add_days(o->dates[s - 1], days);
}

int sa_order_overdue(const sa_order *o, sa_date today)
{
	sa_date due;
	if (!o || o->state >= SA_ORDER_FOLLOW_UP)
		return 0;
	due = sa_order_due(o, (sa_order_step)(o->state + 1));
	return due && today > due;
}
