/*
 * auditmd.h: the whole public API of libauditmd.
 */
#ifndef AUDITMD_H
#define AUDITMD_H

#include "common.h"
#include "model.h"
#include "compile.h"
#include "diff.h"
#include "log.h"
#include "json.h"
#include "verify.h"
#include "report.h"
#include "revision.h"
#include "source.h"
#include "template.h"
#include "lint.h"

#endif
