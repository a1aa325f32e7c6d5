/*
 * auditmd.h: the whole public API of libauditmd.
 */
#ifndef AUDITMD_H
#define AUDITMD_H

#include "common.h"
#include "model.h"
#include "vocab.h"
#include "config.h"
#include "compile.h"
#include "diff.h"
#include "log.h"
#include "verify.h"
#include "check.h"
#include "fix.h"
#include "revision.h"
#include "discover.h"
#include "source.h"
#include "lint.h"
#include "baseline.h"
#include "json.h"
#include "sarif.h"
#include "codeclimate.h"
#include "report.h"
#include "site.h"
#include "template.h"

#endif
