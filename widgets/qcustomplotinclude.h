#pragma once

// Include QCustomPlot through this header. The project builds with QT_NO_KEYWORDS (signals/slots/emit/foreach
// are not macros), but qcustomplot.h uses the keywords; they are defined for the include only.

#ifdef QT_NO_KEYWORDS
#define signals Q_SIGNALS
#define slots Q_SLOTS
#define emit Q_EMIT
#define foreach Q_FOREACH
#include <qcustomplot.h>
#undef signals
#undef slots
#undef emit
#undef foreach
#else
#include <qcustomplot.h>
#endif
