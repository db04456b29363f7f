// libFuzzer target: the JSON EXPLAIN parser, then everything that reads its result (metrics, formatting, diff).

#include "plan/plandiff.h"
#include "plan/planformat.h"
#include "plan/planparser.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray input = QByteArray::fromRawData(reinterpret_cast<const char *>(data), qsizetype(size));
    auto plan = plansight::parseJsonPlan(input);
    if (plan.ok()) {
        (void)plansight::toJson(plan.value());
        (void)plansight::formatPlanText(plan.value());
        (void)plansight::diffPlans(plan.value(), plan.value());
    } else if (plan.error().message.isEmpty()) {
        __builtin_trap(); // an error must say what is wrong
    }
    return 0;
}
