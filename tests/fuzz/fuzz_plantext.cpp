// libFuzzer target: the text EXPLAIN parser (and auto-detection), then everything that reads its result.

#include "plan/plandiff.h"
#include "plan/planformat.h"
#include "plan/planparser.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray input = QByteArray::fromRawData(reinterpret_cast<const char *>(data), qsizetype(size));
    auto text = plansight::parseTextPlan(input);
    if (text.ok()) {
        (void)plansight::toJson(text.value());
        (void)plansight::formatPlanText(text.value());
        (void)plansight::diffPlans(text.value(), text.value());
    } else if (text.error().message.isEmpty()) {
        __builtin_trap();
    }
    auto any = plansight::parsePlan(input);
    if (!any.ok() && any.error().message.isEmpty())
        __builtin_trap();
    return 0;
}
