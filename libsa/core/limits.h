/* limits.h - every limit libsa puts on untrusted input (households, registries, events, policy
 * packs and what their rules do), in one place. A limit exists so that input of any size or
 * shape fails cleanly in bounded time and memory; docs/security.md lists what each stops.
 * Engine limits are defaults: sa_engine_options overrides them per engine. */
#ifndef SA_LIMITS_H
#define SA_LIMITS_H

#include <stddef.h>

/* ---- documents (core/yaml_reader.c) ---- */
#define SA_FILE_MAX ((size_t)64 << 20) /* bytes of one YAML/JSON file read */
#define SA_YAML_MAX_DEPTH 64           /* nesting of a YAML/JSON document */

/* ---- households (core/household.c): every sum of household amounts stays below 2^63 fen ---- */
#define SA_HOUSEHOLD_LIST_MAX 100                        /* members, supporters, vehicles, ids in one list */
#define SA_HOUSEHOLD_FEN_MAX ((sa_fen)100000000000LL)    /* one amount: 10^9 yuan */

/* ---- money (core/money.c) ---- */
#define SA_FEN_LIMIT ((sa_fen)1000000000000000LL) /* 10^13 yuan: far above any real amount */
#define SA_FEN_AMOUNT_MAX ((int64_t)1000000000000000LL)  /* an amount from a rule, or a sa.add sum: 10^13 yuan */
#define SA_FEN_SUM_MAX ((int64_t)4000000000000000000LL)  /* a sum in C (sa__fen_add): fails beyond */

/* ---- parameter values of a pack (pack/pack.c): with the household limits above, every
 * product the rules form (a household sum x 12 months x a ratio term, a standard x members x a
 * ratio term, months x a standard x members) stays below 10^18 fen (docs/security.md) ---- */
#define SA_PARAM_FEN_MAX ((sa_fen)1000000000LL) /* a money parameter: 10^7 yuan */
#define SA_PARAM_RATIO_TERM_MAX 1000            /* numerator and denominator of a ratio */
#define SA_PARAM_INT_MAX 1000000                /* |an int parameter| */

/* ---- registries (screen/screen.c) ---- */
#define SA_SCREEN_LINE_MAX ((size_t)1 << 20) /* one JSON or CSV line */

/* ---- packs (pack/pack.c, inspect/lint.c) ---- */
#define SA_MAX_CHAIN 8 /* packs in one chain, cn -> ... -> leaf */
#define SA_PACK_FILE_MAX ((size_t)8 << 20) /* one file of a pack (pack/files.c) */
#define SA_PACK_BUDGET ((size_t)32 << 20)  /* all files of a loaded chain together */
#define SA_DOC_CACHE_MAX ((size_t)16 << 20) /* parsed pack YAML kept per process (pack/doc_cache.c) */

/* ---- one evaluation: defaults of sa_engine_options (engine/engine.c) ---- */
#define SA_DEFAULT_MEMORY ((size_t)64 << 20) /* bytes the Lua state may hold */
#define SA_DEFAULT_INSTRUCTIONS 20000000ULL  /* Lua instructions (and charged C work) */
#define SA_DEFAULT_OUTPUT ((size_t)1 << 20)  /* bytes of text one result may carry */
#define SA_DEFAULT_TIME_MS 5000u             /* wall-clock backstop */

/* ---- inside the sandbox (lua/) ---- */
#define SA_CHUNK_CACHE_MAX ((size_t)16 << 20) /* compiled rule files kept per process (lua/chunk_cache.c) */
#define SA_STRING_MAX ((size_t)4 << 20) /* no Lua string longer than this (bytes) */
#define SA_REP_MAX ((size_t)1 << 20)    /* string.rep result, bytes */
#define SA_RANGE_MAX 1000000            /* table.concat / sort range */
#define SA_UNPACK_MAX 100000            /* table.unpack results */
#define SA_MAX_READS 4096               /* parameter reads noted per evaluation (decision log) */
#define SA_RESULT_MAX_DEPTH 32          /* nesting of a rule's document result */
#define SA_RESULT_MAX_ITEMS 100000      /* values in a rule's document result */

/* ---- a decision as the rules return it (lua/convert.c) ---- */
#define SA_RESULT_MAX_PROGRAMS 1000   /* programs in one result */
#define SA_RESULT_MAX_LIST 100000     /* members or missing facts of one program */
#define SA_RESULT_MAX_PARTS 100       /* named parts of one amount */
#define SA_RESULT_MAX_REASONS 10000   /* reasons of one program */
#define SA_RESULT_MAX_PARAMS 1000     /* parameters one reason names */
#define SA_TEMPLATE_MAX_NAME 64       /* bytes of a {name} in a reason template */

/* ---- service orders (services/order_book.c) ---- */
#define SA_ORDER_MAX_EVENT_BYTES 65536 /* one order event (a JSON line) */
#define SA_ORDER_MAX_ID_BYTES 256      /* an order, member or provider id */
#define SA_ORDER_MAX_QUANTITY 10000    /* units in one order */

#endif
