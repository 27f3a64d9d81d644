/* cmd_order.c - sa order new|advance|show|rating: service orders kept as a JSON-lines journal
 * (include/sa/orders.h, docs/services.md "Orders as records"). */
#include "cli.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>

typedef struct {
	const char *journal, *pack, *pack_path, *format, *at;
	const char *household, *member, *item, *id, *provider, *flag, *note;
	int quantity, score;
	sa_date date, from, to;
} order_opts;

static void print_problems(const sa_order_book *b)
{
	for (size_t i = 0; i < sa_order_book_problem_count(b); i++) {
		const char *msg;
		if (sa_order_book_problem(NULL, NULL, &msg, b, i) == 0)
			fprintf(stderr, "%s: %s\n", cli_prog, msg);
	}
}

/* Open the pack's catalog and replay the journal into a new book. fd >= 0: the journal is
 * open and locked for writing (a cut-short last record is removed, never applied). */
static sa_order_book *open_book(sa_engine **e, const order_opts *o, int *fd)
{
	const sa_catalog *c;
	sa_order_book *b = NULL;
	char *text = NULL;
	size_t len = 0;
	int jfd;

	if (!(*e = cli_open_engine(o->pack_path, o->pack)))
		return NULL;
	if (sa_engine_catalog(&c, *e) < 0 || sa_order_book_new(&b, c) < 0) {
		cli_error(o->pack);
		return NULL;
	}
	if (!fd && strcmp(o->journal, "-") == 0)
		jfd = dup(STDIN_FILENO); /* show and rating read a journal on standard input */
	else
		jfd = open(o->journal, fd ? O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC : O_RDONLY | O_CLOEXEC, 0644);
	if (jfd < 0 && !fd && errno == ENOENT)
		return b; /* no journal yet: no orders */
	if (jfd < 0 || (fd && flock(jfd, LOCK_EX) < 0) || !(text = cli_read_fd(jfd, &len))) {
		cli_fail(1, "cannot read %s: %s", cli_input_name(o->journal), strerror(errno));
		goto fail;
	}
	if (fd && len && text[len - 1] != '\n') {
		/* A record cut short by a crash was never reported written: drop it before appending. */
		size_t keep = len;
		while (keep && text[keep - 1] != '\n')
			keep--;
		if (ftruncate(jfd, (off_t)keep) < 0) {
			fprintf(stderr, "%s: %s: %s\n", cli_prog, o->journal, strerror(errno));
			goto fail;
		}
		fprintf(stderr, "%s: %s: 删除了被中断的最后一条记录（%zu 字节）/ removed a cut-short last record (%zu bytes)\n",
		        cli_prog, o->journal, len - keep, len - keep);
		len = keep;
	}
	if (sa_order_book_replay(b, text, len, cli_input_name(o->journal)) < 0) {
		cli_error(cli_input_name(o->journal));
		goto fail;
	}
	print_problems(b);
	free(text);
	if (fd)
		*fd = jfd;
	else
		close(jfd);
	return b;
fail:
	free(text);
	if (jfd >= 0)
		close(jfd);
	sa_order_book_free(b);
	return NULL;
}

/* The current local time as YYYY-MM-DDTHH:MM:SS. */
static void now_text(char buf[32])
{
	time_t t = time(NULL);
	struct tm tm;
	localtime_r(&t, &tm);
	strftime(buf, 32, "%Y-%m-%dT%H:%M:%S", &tm);
}

/* Apply the event to the book and append it to the journal in one write, then sync. */
static int record_event(sa_order_book *b, int fd, cJSON *ev, const order_opts *o, char **id_out)
{
	char *json = cJSON_PrintUnformatted(ev), *canon = NULL, *line;
	size_t n;
	int rc = 1;
	cJSON *c;
	if (!json)
		return cli_error("memory");
	if (sa_order_book_apply(&canon, b, json, strlen(json)) < 0) {
		free(json);
		return cli_error(o->journal);
	}
	free(json);
	n = strlen(canon);
	if (!(line = malloc(n + 2))) {
		sa_free(canon);
		return cli_error("memory");
	}
	memcpy(line, canon, n);
	line[n] = '\n';
	if (write(fd, line, n + 1) != (ssize_t)(n + 1) || fsync(fd) < 0) {
		fprintf(stderr, "%s: %s: %s\n", cli_prog, o->journal, strerror(errno));
	} else {
		rc = 0;
		if ((c = cJSON_Parse(canon)) != NULL) {
			const cJSON *id = cJSON_GetObjectItemCaseSensitive(c, "order");
			if (cJSON_IsString(id))
				*id_out = strdup(id->valuestring);
			cJSON_Delete(c);
		}
	}
	free(line);
	sa_free(canon);
	return rc;
}

static int show_one(const sa_order_book *b, const char *id, const order_opts *o)
{
	char *json;
	if (sa_order_book_order_json(&json, b, id, o->date) < 0)
		return cli_error(id);
	if (strcmp(o->format, "json") == 0) {
		printf("%s\n", json);
	} else {
		cJSON *r = cJSON_Parse(json), *h, *n;
		const cJSON *e;
		if (!r) {
			sa_free(json);
			return cli_error("memory");
		}
		printf("订单 order %s  %s/%s  %s（%s）× %d  %s\n", id,
		       cJSON_GetObjectItem(r, "household")->valuestring, cJSON_GetObjectItem(r, "member")->valuestring,
		       cJSON_GetObjectItem(r, "item_name")->valuestring, cJSON_GetObjectItem(r, "item")->valuestring,
		       cJSON_GetObjectItem(r, "quantity")->valueint, cJSON_GetObjectItem(r, "state_zh")->valuestring);
		h = cJSON_GetObjectItem(r, "history");
		cJSON_ArrayForEach(e, h)
		{
			const cJSON *p = cJSON_GetObjectItem(e, "provider");
			printf("  %s %-9s %s%s%s\n", cJSON_GetObjectItem(e, "zh")->valuestring,
			       cJSON_GetObjectItem(e, "step")->valuestring, cJSON_GetObjectItem(e, "at")->valuestring,
			       p ? "  " : "", p ? p->valuestring : "");
		}
		if ((n = cJSON_GetObjectItem(r, "next")) && cJSON_IsObject(n)) {
			const cJSON *due = cJSON_GetObjectItem(n, "due"), *od = cJSON_GetObjectItem(n, "overdue");
			printf("  下一步 next: %s %s%s%s%s\n", cJSON_GetObjectItem(n, "zh")->valuestring,
			       cJSON_GetObjectItem(n, "step")->valuestring, cJSON_IsString(due) ? "  限 due " : "",
			       cJSON_IsString(due) ? due->valuestring : "", cJSON_IsTrue(od) ? "  已逾期 OVERDUE" : "");
		} else {
			printf("  评分 score %d%s\n", cJSON_GetObjectItem(r, "score")->valueint,
			       cJSON_IsString(cJSON_GetObjectItem(r, "flag")) ? "  (flag)" : "");
		}
		cJSON_Delete(r);
	}
	sa_free(json);
	return 0;
}

static int own(int c, const char *arg, void *ud)
{
	order_opts *o = ud;
	char *end;
	long v;
	switch (c) {
	case OPT_JOURNAL: o->journal = arg; return 0;
	case OPT_AT: o->at = arg; return 0;
	case OPT_HOUSEHOLD: o->household = arg; return 0;
	case OPT_MEMBER: o->member = arg; return 0;
	case OPT_ITEM: o->item = arg; return 0;
	case OPT_ID: o->id = arg; return 0;
	case OPT_PROVIDER: o->provider = arg; return 0;
	case OPT_FLAG: o->flag = arg; return 0;
	case OPT_NOTE: o->note = arg; return 0;
	case OPT_SCORE:
	case OPT_QUANTITY:
		v = strtol(arg, &end, 10);
		if (*end || !*arg || v < 0 || v > 1000000)
			return 1;
		*(c == OPT_SCORE ? &o->score : &o->quantity) = (int)v;
		return 0;
	case OPT_FROM:
	case OPT_TO:
		if (sa_date_parse(c == OPT_FROM ? &o->from : &o->to, arg) < 0) {
			cli_fail(2, "'%s' is not a date YYYY-MM-DD", arg);
			return 1;
		}
		return 0;
	default: return 1;
	}
}

int cmd_order(int argc, char **argv)
{
	static const struct option longopts[] = {
		CLI_COMMON_OPTIONS,
		{ "journal", required_argument, NULL, OPT_JOURNAL },
		{ "pack", required_argument, NULL, OPT_PACK },
		{ "format", required_argument, NULL, OPT_FORMAT },
		{ "date", required_argument, NULL, OPT_DATE },
		{ "at", required_argument, NULL, OPT_AT },
		{ "household", required_argument, NULL, OPT_HOUSEHOLD },
		{ "member", required_argument, NULL, OPT_MEMBER },
		{ "item", required_argument, NULL, OPT_ITEM },
		{ "id", required_argument, NULL, OPT_ID },
		{ "provider", required_argument, NULL, OPT_PROVIDER },
		{ "score", required_argument, NULL, OPT_SCORE },
		{ "flag", required_argument, NULL, OPT_FLAG },
		{ "note", required_argument, NULL, OPT_NOTE },
		{ "quantity", required_argument, NULL, OPT_QUANTITY },
		{ "from", required_argument, NULL, OPT_FROM },
		{ "to", required_argument, NULL, OPT_TO },
		{ 0, 0, 0, 0 }
	};
	cli_opts co = { .format = "text" };
	order_opts o = { .quantity = 1 };
	const char *sub;
	sa_engine *e = NULL;
	sa_order_book *b = NULL;
	int rc = 1, fd = -1, first, status = 0;
	char at[32], *id = NULL;

	if ((first = cli_parse(argc, argv, longopts, &co, own, &o, &status)) < 0)
		return status;
	o.pack = co.pack;
	o.pack_path = co.pack_path;
	o.format = co.format;
	o.date = co.date;
	sub = first < argc ? argv[first++] : "";
	if (!*sub)
		return cli_usage_error(argv[0], NULL);
	if (!o.journal)
		return cli_usage_error(argv[0], "--journal is required");
	if (!o.pack)
		return cli_usage_error(argv[0], "--pack is required");
	if (strcmp(o.format, "text") != 0 && strcmp(o.format, "json") != 0)
		return cli_usage_error(argv[0], "--format takes %s, not '%s'", "text|json", o.format);
	if ((strcmp(sub, "new") == 0 || strcmp(sub, "advance") == 0) && strcmp(o.journal, "-") == 0)
		return cli_usage_error(argv[0], "order %s appends to --journal: give a file, not '-'", sub);
	if (!o.at) {
		now_text(at);
		o.at = at;
	}
	if (!o.date)
		o.date = cli_today();

	if (strcmp(sub, "new") == 0 || strcmp(sub, "advance") == 0) {
		cJSON *ev = cJSON_CreateObject();
		bool is_new = sub[0] == 'n';
		if (is_new ? first != argc : first + 2 != argc) {
			cJSON_Delete(ev);
			return cli_usage_error(argv[0], NULL);
		}
		if (!(b = open_book(&e, &o, &fd))) {
			cJSON_Delete(ev);
			goto done;
		}
		cJSON_AddStringToObject(ev, "event", is_new ? "apply" : argv[first + 1]);
		if (is_new ? o.id != NULL : true)
			cJSON_AddStringToObject(ev, "order", is_new ? o.id : argv[first]);
		cJSON_AddStringToObject(ev, "at", o.at);
		if (o.household)
			cJSON_AddStringToObject(ev, "household", o.household);
		if (o.member)
			cJSON_AddStringToObject(ev, "member", o.member);
		if (o.item)
			cJSON_AddStringToObject(ev, "item", o.item);
		if (is_new)
			cJSON_AddNumberToObject(ev, "quantity", o.quantity);
		if (o.provider)
			cJSON_AddStringToObject(ev, "provider", o.provider);
		if (o.score)
			cJSON_AddNumberToObject(ev, "score", o.score);
		if (o.flag)
			cJSON_AddStringToObject(ev, "flag", o.flag);
		if (o.note)
			cJSON_AddStringToObject(ev, "note", o.note);
		rc = record_event(b, fd, ev, &o, &id);
		cJSON_Delete(ev);
		if (rc == 0 && id)
			rc = show_one(b, id, &o);
	} else if (strcmp(sub, "show") == 0) {
		if (first + 1 < argc)
			return cli_usage_error(argv[0], NULL);
		if (!(b = open_book(&e, &o, NULL)))
			goto done;
		if (first < argc) {
			rc = show_one(b, argv[first], &o);
		} else if (strcmp(o.format, "json") == 0) {
			char *json;
			if (sa_order_book_to_json(&json, b, o.date, 0) < 0)
				goto done;
			fputs(json, stdout);
			sa_free(json);
			rc = 0;
		} else {
			rc = 0;
			for (size_t i = 0; rc == 0 && i < sa_order_book_count(b); i++)
				rc = show_one(b, sa_order_book_id(b, i), &o);
		}
	} else if (strcmp(sub, "rating") == 0) {
		sa_provider_rating r;
		int k;
		if (first + 1 != argc)
			return cli_usage_error(argv[0], NULL);
		if (!(b = open_book(&e, &o, NULL)))
			goto done;
		if ((k = sa_order_book_rating(&r, b, argv[first], o.from, o.to)) == SA_ENOTFOUND) {
			fprintf(stderr, "%s: %s: 时间窗内没有回访评分 / no follow-up score in the window\n", cli_prog, argv[first]);
			goto done;
		} else if (k < 0) {
			rc = cli_error(argv[first]);
			goto done;
		}
		if (strcmp(o.format, "json") == 0) {
			cJSON *j = cJSON_CreateObject();
			char *t;
			cJSON_AddStringToObject(j, "provider", argv[first]);
			cJSON_AddStringToObject(j, "light", r.light);
			cJSON_AddNumberToObject(j, "avg_x100", r.avg_x100);
			cJSON_AddNumberToObject(j, "scores", (double)r.scores);
			cJSON_AddNumberToObject(j, "minor_flags", (double)r.minor_flags);
			cJSON_AddNumberToObject(j, "serious_flags", (double)r.serious_flags);
			if ((t = cJSON_PrintUnformatted(j)))
				printf("%s\n", t);
			free(t);
			cJSON_Delete(j);
		}
		else
			printf("服务商 provider %s: %s  平均分 average %d.%02d  评分 %zu  轻微问题 %zu  严重违规 %zu\n", argv[first],
			       r.light, r.avg_x100 / 100, r.avg_x100 % 100, r.scores, r.minor_flags, r.serious_flags);
		rc = 0;
	} else {
		rc = cli_usage_error(argv[0], "unknown subcommand '%s'", sub);
	}
done:
	free(id);
	if (fd >= 0)
		close(fd);
	sa_order_book_free(b);
	sa_engine_free(e);
	return rc;
}
