/* watchdog.c - the time limit that costs nothing until it fires.
 *
 * In Lua 5.4 any count hook makes the VM trap on every instruction (docs/performance.md), so
 * in the default mode no hook is set while rules run. One process-wide thread watches the
 * deadlines of the evaluations in progress and, when one passes, arms the count hook of that
 * state from outside (lua_sethook may be called asynchronously: lua.c does it from its SIGINT
 * handler). The hook then raises at the next instruction and stays sticky (sandbox.c), so a
 * runaway rule is stopped and no pcall can swallow the stop. No signals are used: the JVM and
 * PostgreSQL backends own them.
 *
 * The one hazard of setting a hook from another thread is that lua_sethook walks the state's
 * CallInfo list (to set each Lua frame's trap) while the evaluating thread may free CallInfos
 * (pcall's error path shrinks the list). So arming is a handshake with the state's allocator:
 * the watchdog raises `wd_arming`, makes sure the evaluating thread either sees it or is seen
 * to be inside a free (membarrier, else full fences), waits for that free to finish, arms, and
 * lowers the flag; a free that sees the flag waits. While no arming is in progress a free costs
 * two plain stores. ThreadSanitizer cannot see membarrier(2): under TSan the handshake uses
 * sequentially consistent accesses instead of fences (TSan does not model fences), so TSan
 * checks the same protocol. Lua itself is not instrumented (Debian's liblua5.4); tests/tsan.supp
 * says why a report on lua_sethook would be expected.
 *
 * lua_sethook marks the frames it finds from L->ci, which it reads while the evaluating thread
 * may be pushing a frame that started with the old (zero) hook mask; that frame would miss the
 * mark. So the watchdog arms again at every tick until the evaluation ends: by then the hook
 * mask is set for every newer frame, and the walk finds the one that was missed.
 *
 * The thread sleeps on a condition variable while no engine is registered; otherwise it wakes
 * every eighth of the shortest time limit, so a runaway evaluation stops between its time
 * limit and 1.125 times it. */
#include "lua/state.h"

#include <errno.h>
#include <linux/membarrier.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static struct {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	sa_lua *head;      /* registered states (time mode) */
	bool running;      /* the thread exists (in this process: reset in a forked child) */
	bool membarrier;   /* MEMBARRIER_CMD_PRIVATE_EXPEDITED is registered */
} wd = { PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, NULL, false, false }; /* cv: init_once */

/* Under ThreadSanitizer: seq_cst accesses in place of fences, which TSan does not model (-Wtsan). */
#if defined(__SANITIZE_THREAD__)
#define SA_WD_TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define SA_WD_TSAN 1
#endif
#endif
#ifdef SA_WD_TSAN
#define HS_STORE memory_order_seq_cst
#define HS_LOAD memory_order_seq_cst
#define full_fence() ((void)0)
#define signal_fence() ((void)0)
#else
#define HS_STORE memory_order_relaxed
#define HS_LOAD memory_order_acquire
#define full_fence() atomic_thread_fence(memory_order_seq_cst)
#define signal_fence() atomic_signal_fence(memory_order_seq_cst)
#endif

/* Without membarrier the allocator's side of the handshake needs a full fence too. */
static atomic_bool wd_fences;
static atomic_ulong wd_wakeups; /* rounds of the watch loop (a test checks that it sleeps) */

unsigned long sa__watchdog_wakeups(void)
{
	return atomic_load(&wd_wakeups);
}

static uint64_t mono_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* Every thread of the process executes a full barrier before this returns. */
static void barrier_all(void)
{
	if (!wd.membarrier || syscall(SYS_membarrier, MEMBARRIER_CMD_PRIVATE_EXPEDITED, 0, 0) != 0)
		full_fence();
}

void sa__watchdog_free_enter(sa_lua *s)
{
	atomic_store_explicit(&s->in_free, 1, HS_STORE);
	if (atomic_load_explicit(&wd_fences, memory_order_relaxed))
		full_fence();
	else
		signal_fence(); /* the watchdog's membarrier is our fence */
	while (atomic_load_explicit(&s->wd_arming, HS_LOAD)) {
		atomic_store_explicit(&s->in_free, 0, memory_order_release);
		while (atomic_load_explicit(&s->wd_arming, memory_order_acquire))
			sched_yield();
		atomic_store_explicit(&s->in_free, 1, HS_STORE);
		full_fence();
	}
}

void sa__watchdog_free_leave(sa_lua *s)
{
	atomic_store_explicit(&s->in_free, 0, memory_order_release);
}

/* Watchdog thread, wd.mu and s->wd_mu held: arm s's hook while it runs. */
static void arm(sa_lua *s)
{
	atomic_store_explicit(&s->wd_arming, 1, HS_STORE);
	if (!wd.membarrier)
		full_fence();
	barrier_all();
	while (atomic_load_explicit(&s->in_free, HS_LOAD))
		sched_yield();
	sa__lua_arm_hook(s);
	atomic_store_explicit(&s->wd_arming, 0, memory_order_release);
}

static void *watch(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&wd.mu);
	for (;;) {
		uint64_t now, wake = 0;
		struct timespec ts;
		while (!wd.head)
			pthread_cond_wait(&wd.cv, &wd.mu);
		atomic_fetch_add(&wd_wakeups, 1);
		now = mono_ns();
		for (sa_lua *s = wd.head; s; s = s->wd_next) {
			uint64_t d = atomic_load_explicit(&s->wd_deadline, memory_order_acquire);
			uint64_t tick = (uint64_t)s->lim.time_limit_ms * 125000u; /* an eighth of the limit */
			if (tick < 1000000u)
				tick = 1000000u;
			if (d && now >= d) {
				pthread_mutex_lock(&s->wd_mu);
				/* re-check under the lock: the evaluation may have ended meanwhile; arm again
				 * at each tick while it runs (a frame pushed during the first arming) */
				if (atomic_load_explicit(&s->wd_deadline, memory_order_relaxed) == d)
					arm(s);
				pthread_mutex_unlock(&s->wd_mu);
			}
			if (!wake || now + tick < wake)
				wake = now + tick;
		}
		ts.tv_sec = (time_t)(wake / 1000000000u);
		ts.tv_nsec = (long)(wake % 1000000000u);
		pthread_cond_timedwait(&wd.cv, &wd.mu, &ts);
	}
	return NULL;
}

static void atfork_prepare(void) { pthread_mutex_lock(&wd.mu); }
static void atfork_parent(void) { pthread_mutex_unlock(&wd.mu); }
static void atfork_child(void)
{
	/* the thread did not come along: the next registration starts a new one */
	wd.running = false;
	pthread_mutex_unlock(&wd.mu);
}

static pthread_once_t once = PTHREAD_ONCE_INIT;
static void init_once(void)
{
	pthread_condattr_t ca;
	long q;
	/* deadlines are CLOCK_MONOTONIC: the condition variable must time out on that clock (the
	 * default, CLOCK_REALTIME, would see every monotonic time as long past and spin) */
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&wd.cv, &ca);
	pthread_condattr_destroy(&ca);
	q = syscall(SYS_membarrier, MEMBARRIER_CMD_QUERY, 0, 0);
	if (q > 0 && (q & MEMBARRIER_CMD_PRIVATE_EXPEDITED) &&
	    syscall(SYS_membarrier, MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED, 0, 0) == 0)
		wd.membarrier = true;
	atomic_store(&wd_fences, !wd.membarrier);
	pthread_atfork(atfork_prepare, atfork_parent, atfork_child);
}

int sa__watchdog_register(sa_lua *s)
{
	int rc = 0;
	pthread_once(&once, init_once);
	pthread_mutex_lock(&wd.mu);
	if (!wd.running) {
		pthread_attr_t a;
		pthread_t t;
		pthread_attr_init(&a);
		pthread_attr_setdetachstate(&a, PTHREAD_CREATE_DETACHED);
		pthread_attr_setstacksize(&a, 64 * 1024);
		if (pthread_create(&t, &a, watch, NULL) == 0)
			wd.running = true;
		else
			rc = -1;
		pthread_attr_destroy(&a);
	}
	if (rc == 0) {
		s->wd_next = wd.head;
		wd.head = s;
		s->wd_registered = true;
		pthread_cond_signal(&wd.cv);
	}
	pthread_mutex_unlock(&wd.mu);
	return rc;
}

void sa__watchdog_unregister(sa_lua *s)
{
	if (!s->wd_registered)
		return;
	pthread_mutex_lock(&wd.mu);
	for (sa_lua **p = &wd.head; *p; p = &(*p)->wd_next)
		if (*p == s) {
			*p = s->wd_next;
			break;
		}
	s->wd_registered = false;
	pthread_mutex_unlock(&wd.mu);
}
