#include "util/sqlfiles.h"

#include <QTest>

using namespace plansight;

class TestSqlFiles : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void everyFileLoadsAndIsNotEmpty()
    {
        const QStringList names = allSqlNames();
        QVERIFY2(!names.isEmpty(), "no SQL file is compiled in");
        for (const QString &n : names) {
            auto r = loadSql(n);
            QVERIFY2(r.ok(), qPrintable(n));
            QVERIFY2(!r.value().trimmed().isEmpty(), qPrintable(n + QStringLiteral(" is empty")));
        }
    }
    void knownFileIsFound() { QVERIFY(loadSql(QStringLiteral("catalog/server_settings")).ok()); }
    void missingFileIsAClearError()
    {
        auto r = loadSql(QStringLiteral("no/such/file"));
        QVERIFY(!r.ok());
        QVERIFY(r.error().message.contains(QLatin1String("no/such/file")));
    }
};

QTEST_GUILESS_MAIN(TestSqlFiles)
#include "tst_sqlfiles.moc"
