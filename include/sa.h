/*
 * sa.h - libsa, an embeddable engine that decides social assistance under China's layered
 * system (特困, 低保, 低保边缘, 刚性支出, ...) from Lua policy packs.
 *
 * Include this one header. See docs/api.md for a walk through the lifecycle.
 */
#ifndef SA_H
#define SA_H

#include "sa/common.h"
#include "sa/errors.h"
#include "sa/money.h"
#include "sa/household.h"
#include "sa/engine.h"
#include "sa/decision.h"
#include "sa/pack.h"
#include "sa/inspect.h"
#include "sa/screen.h"
#include "sa/monitor.h"
#include "sa/services.h"
#include "sa/orders.h"
#include "sa/audit.h"

#endif
