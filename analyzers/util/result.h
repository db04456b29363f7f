#pragma once

#include <QString>

#include <optional>
#include <utility>
#include <variant>

namespace plansight {

// An error as a value: what went wrong in one sentence, plus the server's details when there is a server.
// `code` is a PostgreSQL SQLSTATE where the server sent one, or one of PlanSight's own codes ("PS..." below).
struct Error {
    QString code;
    QString message;
    QString detail;
    QString hint;
    // Where the server was when it failed (PG_DIAG_CONTEXT: "COPY users, line 3, column email: ..."); not part of
    // toString(). Empty for PlanSight's own errors.
    QString context;

    static Error make(QString code, QString message, QString detail = {}, QString hint = {})
    {
        Error e;
        e.code = std::move(code);
        e.message = std::move(message);
        e.detail = std::move(detail);
        e.hint = std::move(hint);
        return e;
    }
    bool isCancel() const { return code == QLatin1String("57014") || code == QLatin1String("PSCAN"); }
    // One line for a banner or a terminal: message, then hint.
    QString toString() const
    {
        QString s = message;
        if (!detail.isEmpty())
            s += QLatin1String(" (") + detail + QLatin1Char(')');
        if (!hint.isEmpty())
            s += QLatin1String(" Hint: ") + hint;
        return s;
    }
};

// PlanSight's own error codes (never collide with SQLSTATEs, which are 5 characters of [0-9A-Z]).
namespace errc {
inline const QString Cancelled = QStringLiteral("PSCAN");
inline const QString Connection = QStringLiteral("PSCONN");
inline const QString Io = QStringLiteral("PSIO");
inline const QString Input = QStringLiteral("PSINPUT");
inline const QString Missing = QStringLiteral("PSMISSING");
inline const QString Internal = QStringLiteral("PSINTERNAL");
}

// Result<T>: either a T or an Error. Result<void> carries only success or the error.
template<typename T>
class [[nodiscard]] Result {
public:
    Result(T value) : m_v(std::move(value)) { }
    Result(Error error) : m_v(std::move(error)) { }

    bool ok() const { return m_v.index() == 0; }
    explicit operator bool() const { return ok(); }
    T &value() & { return std::get<0>(m_v); }
    const T &value() const & { return std::get<0>(m_v); }
    T &&value() && { return std::get<0>(std::move(m_v)); }
    T *operator->() { return &value(); }
    const T *operator->() const { return &value(); }
    T &operator*() { return value(); }
    const Error &error() const { return std::get<1>(m_v); }

private:
    std::variant<T, Error> m_v;
};

template<>
class [[nodiscard]] Result<void> {
public:
    Result() = default;
    Result(Error error) : m_e(std::move(error)) { }
    bool ok() const { return !m_e.has_value(); }
    explicit operator bool() const { return ok(); }
    const Error &error() const { return *m_e; }

private:
    std::optional<Error> m_e;
};

using Status = Result<void>;

} // namespace plansight
