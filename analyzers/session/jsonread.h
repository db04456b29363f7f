#pragma once

// Reading and writing the JSON of the session model (session/results.h) and of the session document
// (present/sessionjson.h): the conventions they share. Negative numbers mean "not measured" in the structs and
// null in JSON; times are ISO 8601 in UTC with milliseconds.

#include <QDateTime>
#include <QJsonArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QString>
#include <QStringList>

#include <cmath>

namespace plansight::json {

// Negative numbers mean "not measured" in the structs; JSON says null.
inline QJsonValue measured(double v)
{
    return v < 0 ? QJsonValue(QJsonValue::Null) : QJsonValue(v);
}

inline QJsonValue dateTime(const QDateTime &t)
{
    return t.isValid() ? QJsonValue(t.toUTC().toString(Qt::ISODateWithMs)) : QJsonValue(QJsonValue::Null);
}

inline QJsonArray strings(const QStringList &l)
{
    return QJsonArray::fromStringList(l);
}

// Reads typed members and remembers the first error with the member's path, so that a malformed file gives one
// sentence naming the field ("results[2].p50_ms is not a number") instead of silently wrong numbers.
class JsonReader {
public:
    QString error;

    bool failed() const { return !error.isEmpty(); }

    QString str(const QJsonObject &o, const QString &path, const char *key, const QString &def = {})
    {
        const QJsonValue v = o.value(QLatin1String(key));
        if (v.isUndefined() || v.isNull())
            return def;
        if (!v.isString()) {
            fail(path, key, "is not a string");
            return def;
        }
        return v.toString();
    }
    double num(const QJsonObject &o, const QString &path, const char *key, double def = 0)
    {
        const QJsonValue v = o.value(QLatin1String(key));
        if (v.isUndefined() || v.isNull())
            return def;
        if (!v.isDouble()) {
            fail(path, key, "is not a number");
            return def;
        }
        return v.toDouble();
    }
    int integer(const QJsonObject &o, const QString &path, const char *key)
    {
        const double d = num(o, path, key, 0);
        if (d != double(int(d))) {
            fail(path, key, "is not an integer");
            return 0;
        }
        return int(d);
    }
    // A whole number (qint64), or `def` when absent or null.
    qint64 whole(const QJsonObject &o, const QString &path, const char *key, qint64 def)
    {
        const QJsonValue v = o.value(QLatin1String(key));
        if (v.isUndefined() || v.isNull())
            return def;
        const double d = num(o, path, key, double(def));
        if (failed())
            return def;
        if (d != std::trunc(d) || std::abs(d) > 9007199254740992.0) {
            fail(path, key, "is not an integer");
            return def;
        }
        return qint64(d);
    }
    bool boolean(const QJsonObject &o, const QString &path, const char *key)
    {
        const QJsonValue v = o.value(QLatin1String(key));
        if (v.isUndefined() || v.isNull())
            return false;
        if (!v.isBool()) {
            fail(path, key, "is not true or false");
            return false;
        }
        return v.toBool();
    }
    QJsonObject object(const QJsonObject &o, const QString &path, const char *key)
    {
        const QJsonValue v = o.value(QLatin1String(key));
        if (v.isUndefined() || v.isNull())
            return {};
        if (!v.isObject()) {
            fail(path, key, "is not an object");
            return {};
        }
        return v.toObject();
    }
    QJsonArray array(const QJsonObject &o, const QString &path, const char *key)
    {
        const QJsonValue v = o.value(QLatin1String(key));
        if (v.isUndefined() || v.isNull())
            return {};
        if (!v.isArray()) {
            fail(path, key, "is not an array");
            return {};
        }
        return v.toArray();
    }
    QStringList stringList(const QJsonObject &o, const QString &path, const char *key)
    {
        QStringList out;
        const QJsonArray a = array(o, path, key);
        for (const QJsonValue &v : a) {
            if (!v.isString()) {
                fail(path, key, "contains a value that is not a string");
                return {};
            }
            out << v.toString();
        }
        return out;
    }
    QDateTime time(const QJsonObject &o, const QString &path, const char *key)
    {
        const QString s = str(o, path, key);
        if (s.isEmpty())
            return {};
        QDateTime t = QDateTime::fromString(s, Qt::ISODateWithMs);
        if (!t.isValid())
            fail(path, key, "is not an ISO 8601 date and time");
        return t;
    }
    template<typename Known>
    QString enumText(const QJsonObject &o, const QString &path, const char *key, const QString &def, Known known)
    {
        const QString s = str(o, path, key, def);
        if (!failed() && !known(s))
            fail(path, key, "has an unknown value");
        return s;
    }

    void fail(const QString &path, const char *key, const char *what)
    {
        if (error.isEmpty())
            error = (path.isEmpty() ? QString() : path + QLatin1Char('.')) + QLatin1String(key) + QLatin1Char(' ')
                + QLatin1String(what);
    }
};

} // namespace plansight::json
