// Connection strings shown to people never carry a password: displayConninfo() rebuilds what libpq parsed
// without it, and the command line's messages go through it (a DSN whose server cannot be reached).

#include "pg/conninfo.h"

#include <QProcess>
#include <QTest>

using namespace plansight;

class TestConninfo : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void displayDropsPasswordsOnly_data()
    {
        QTest::addColumn<QString>("target");
        QTest::addColumn<QString>("shown");
        QTest::newRow("uri") << QStringLiteral("postgresql://alice:S3cretPW@db1:5433/gallery")
                             << QStringLiteral("postgresql://alice@db1:5433/gallery");
        QTest::newRow("uri, # and ? in the password") << QStringLiteral("postgres://alice:S3c#ret?PW@db1/gallery")
                                                      << QStringLiteral("postgres://alice@db1/gallery");
        QTest::newRow("uri, password parameter")
            << QStringLiteral("postgresql://db1/gallery?password=S3cretPW&sslmode=require&sslpassword=S3cretPW")
            << QStringLiteral("postgresql://db1/gallery?sslmode=require");
        QTest::newRow("uri, several hosts") << QStringLiteral("postgresql://alice:S3cretPW@h1:1,h2:2/db")
                                            << QStringLiteral("postgresql://alice@h1:1,h2:2/db");
        QTest::newRow("uri, socket directory") << QStringLiteral("postgresql://alice:S3cretPW@%2Fvar%2Frun/db")
                                               << QStringLiteral("postgresql://alice@%2Fvar%2Frun/db");
        QTest::newRow("uri, ipv6") << QStringLiteral("postgresql://alice:S3cretPW@[::1]:5432/db")
                                   << QStringLiteral("postgresql://alice@[::1]:5432/db");
        QTest::newRow("key=value, order kept") << QStringLiteral("port=5 host=db1 password = 'S3cret PW\\'' user=alice")
                                               << QStringLiteral("port=5 host=db1 user=alice");
        QTest::newRow("key=value, quoted value")
            << QStringLiteral("host='/run/my dir' password=S3cretPW") << QStringLiteral("host='/run/my dir'");
        QTest::newRow("bare word: a database name") << QStringLiteral("gallery") << QStringLiteral("dbname=gallery");
        QTest::newRow("defaults") << QString() << QStringLiteral("the default server (PG* variables)");
        QTest::newRow("unparsable uri") << QStringLiteral("postgresql://alice:S3cretPW%zz@db1/db")
                                        << QStringLiteral("an unparsable connection string");
        QTest::newRow("unparsable pairs")
            << QStringLiteral("host=db1 password='S3cretPW") << QStringLiteral("an unparsable connection string");
    }
    void displayDropsPasswordsOnly()
    {
        QFETCH(QString, target);
        QFETCH(QString, shown);
        QCOMPARE(displayConninfo(target), shown);
    }

    void secretsAreWhatLibpqReads()
    {
        QCOMPARE(
            conninfoSecrets(QStringLiteral("postgresql://a:p%40ss#1@h/db")), QStringList { QStringLiteral("p@ss#1") });
        QCOMPARE(conninfoSecrets(QStringLiteral("host=h password='a b' sslpassword=k")),
            (QStringList { QStringLiteral("a b"), QStringLiteral("k") }));
        QVERIFY(conninfoSecrets(QStringLiteral("host=h")).isEmpty());
        QCOMPARE(
            scrubSecrets(QStringLiteral("x p@ss y"), { QStringLiteral("p@ss"), QString() }), QStringLiteral("x *** y"));
    }

    // The command line names the server it could not reach, without the password.
    void commandLineErrorsHideThePassword_data()
    {
        QTest::addColumn<QStringList>("args");
        const QString dsn = QStringLiteral("postgresql://alice:S3cretPW@127.0.0.1:1/db?connect_timeout=3");
        QTest::newRow("stats") << QStringList { QStringLiteral("stats"), QStringLiteral("--dsn"), dsn };
        QTest::newRow("bench") << QStringList { QStringLiteral("bench"), QStringLiteral("--strategies"),
            QStringLiteral("baseline"), QStringLiteral("--preset"), QStringLiteral("canonical"),
            QStringLiteral("--dsn"), dsn };
        QTest::newRow("strategies") << QStringList { QStringLiteral("strategies"), QStringLiteral("status"),
            QStringLiteral("--dsn"), QStringLiteral("host=127.0.0.1 port=1 password=S3cretPW connect_timeout=3") };
    }
    void commandLineErrorsHideThePassword()
    {
        QFETCH(QStringList, args);
        QProcess p;
        p.start(QStringLiteral(PLANSIGHT_BINARY), args);
        QVERIFY(p.waitForStarted(10000));
        QVERIFY(p.waitForFinished(60000));
        const QString out = QString::fromUtf8(p.readAllStandardOutput() + p.readAllStandardError());
        QCOMPARE(p.exitCode(), 1);
        QVERIFY2(out.contains(QLatin1String("127.0.0.1")), qPrintable(out));
        QVERIFY2(!out.contains(QLatin1String("S3cret")), qPrintable(out));
    }
};

QTEST_GUILESS_MAIN(TestConninfo)
#include "tst_conninfo.moc"
