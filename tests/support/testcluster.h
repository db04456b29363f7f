#pragma once

#include "pg/localcluster.h"
#include "pg/pgsession.h"

#include <QTemporaryDir>

#include <memory>

namespace plansight::test {

// One real PostgreSQL cluster per test process, in a temporary directory, stopped and removed when the
// process ends. Integration tests call TestCluster::get() in initTestCase() and QSKIP only when the
// server binaries are absent.
class TestCluster {
public:
    static TestCluster *get(); // nullptr (with reason()) when the server cannot be started
    static QString reason();

    LocalCluster &cluster() { return *m_cluster; }
    // A new session on `db` (created when missing); fails the calling test on error.
    std::unique_ptr<PgSession> connect(const QString &db = QStringLiteral("postgres"));
    QString conninfo(const QString &db = QStringLiteral("postgres")) const { return m_cluster->conninfo(db); }

    ~TestCluster();

private:
    TestCluster() = default;
    QTemporaryDir m_dir { QStringLiteral("/tmp/plansight-test-XXXXXX") };
    std::unique_ptr<LocalCluster> m_cluster;
};

// True when another backend is running a statement whose text contains `fragment` and is inside pg_sleep at
// this moment (pg_stat_activity, seen from `observer`). Tests wait on it (QTRY_VERIFY) before cancelling a
// statement that would otherwise sleep for an hour, so the cancel is known to interrupt a running statement.
bool isSleepingIn(PgSession &observer, const QString &fragment);

} // namespace plansight::test

// In an integration test's initTestCase(): skip when there is no server to test against.
#define PLANSIGHT_REQUIRE_CLUSTER()                                                                                    \
    do {                                                                                                               \
        if (!plansight::test::TestCluster::get()) {                                                                    \
            if (!plansight::LocalCluster::findBinDir().ok())                                                           \
                QSKIP(qPrintable(plansight::test::TestCluster::reason()));                                             \
            QFAIL(qPrintable(plansight::test::TestCluster::reason()));                                                 \
        }                                                                                                              \
    } while (false)
