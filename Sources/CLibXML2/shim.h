#pragma once
#include <libxml/xmlversion.h>
// libxml2 is built with ICU, and with this macro its headers include the system's ICU headers,
// which clash with the ICU copy inside Foundation ("UErrorCode has different definitions") in
// any Swift module that sees both. Without it, only the last two pointer fields of
// xmlCharEncodingHandler disappear from the declaration; registryd never touches that struct.
#undef LIBXML_ICU_ENABLED
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/SAX2.h>
#include <libxml/xmlerror.h>
#include <libxml/entities.h>
