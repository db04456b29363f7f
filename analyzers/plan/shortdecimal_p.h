#pragma once

// Internal to analyzers/plan: the fast path of both plan readers' numbers. EXPLAIN's figures are short plain decimals
// ("0.29", "1234.56", "76140"), and std::from_chars, general and exact, spends most of a parse's number reading on
// them.

#include <QtGlobal>

#include <optional>

namespace plansight::planinternal {

// The value of `p[0, n)` when it is a plain decimal of at most 15 characters after an optional '-': digits without a
// leading zero (except a lone "0"), then optionally '.' and at least one digit. Correctly rounded, as std::from_chars
// and Qt round: the digits as an integer are exact in a double, and one division by an exact power of ten rounds
// once. nullopt for anything else (the caller reads it the general way). tests/unit/tst_plantext.cpp compares it with
// Qt on random decimals, tests/unit/tst_jsontape.cpp with Qt's JSON reader.
template<typename Char>
std::optional<double> shortDecimal(const Char *p, qsizetype n)
{
    static constexpr double powers[]
        = { 1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15 };
    const bool negative = n > 0 && p[0] == Char('-');
    qsizetype i = negative ? 1 : 0;
    const qsizetype from = i;
    if (n - from > 15 || n == from)
        return std::nullopt;
    quint64 digits = 0;
    for (; i < n && p[i] >= Char('0') && p[i] <= Char('9'); ++i)
        digits = digits * 10 + quint64(p[i] - Char('0'));
    if (i == from || (p[from] == Char('0') && i > from + 1))
        return std::nullopt;
    qsizetype decimals = 0;
    if (i < n) {
        if (p[i] != Char('.'))
            return std::nullopt;
        const qsizetype fractionFrom = ++i;
        for (; i < n && p[i] >= Char('0') && p[i] <= Char('9'); ++i)
            digits = digits * 10 + quint64(p[i] - Char('0'));
        if (i == fractionFrom || i != n)
            return std::nullopt;
        decimals = n - fractionFrom;
    }
    const double magnitude = double(digits) / powers[decimals];
    return negative ? -magnitude : magnitude;
}

} // namespace plansight::planinternal
