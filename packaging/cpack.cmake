# Installation and packaging. `packaging/setup.sh package` configures the `release` preset, builds it and runs
# `cpack` there: a Debian package of the stripped Release build (README.md, "Install").
#
# The desktop files are named after the AppStream id, io.github.plansight.plansight.
set(PLANSIGHT_APP_ID io.github.plansight.plansight)
set(PLANSIGHT_PACKAGING_DIR ${CMAKE_CURRENT_LIST_DIR})

include(GNUInstallDirs)
install(FILES ${PLANSIGHT_PACKAGING_DIR}/${PLANSIGHT_APP_ID}.desktop DESTINATION ${CMAKE_INSTALL_DATADIR}/applications)
install(FILES ${PLANSIGHT_PACKAGING_DIR}/${PLANSIGHT_APP_ID}.metainfo.xml DESTINATION ${CMAKE_INSTALL_DATADIR}/metainfo)
install(FILES ${PLANSIGHT_PACKAGING_DIR}/${PLANSIGHT_APP_ID}.svg DESTINATION ${CMAKE_INSTALL_DATADIR}/icons/hicolor/scalable/apps)
install(FILES ${PLANSIGHT_PACKAGING_DIR}/plansight.bash-completion
    DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions RENAME plansight)
# Debian keeps the copyright file in /usr/share/doc/PACKAGE (GNUInstallDirs would name it after the project).
install(FILES ${PLANSIGHT_PACKAGING_DIR}/copyright DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/plansight)

# Manual pages, plansight(1) and plansight-VERB(1) for each verb, made by help2man from the built program's
# --help (packaging/manpages.sh), so they say what this build does.
find_program(PLANSIGHT_HELP2MAN help2man)
if(PLANSIGHT_HELP2MAN)
    set(man_dir ${CMAKE_CURRENT_BINARY_DIR}/man)
    add_custom_command(OUTPUT ${man_dir}/plansight.1.gz
        COMMAND sh ${PLANSIGHT_PACKAGING_DIR}/manpages.sh $<TARGET_FILE:plansight> ${man_dir} ${PROJECT_VERSION}
        DEPENDS plansight ${PLANSIGHT_PACKAGING_DIR}/manpages.sh
        COMMENT "Writing the manual pages with help2man"
        VERBATIM)
    add_custom_target(plansight_manpages ALL DEPENDS ${man_dir}/plansight.1.gz)
    install(DIRECTORY ${man_dir}/ DESTINATION ${CMAKE_INSTALL_MANDIR}/man1 FILES_MATCHING PATTERN "*.1.gz")
else()
    message(WARNING "help2man was not found: no manual pages are built or installed (apt-get install help2man)")
endif()

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME plansight)
set(CPACK_PACKAGE_VENDOR "The PlanSight developers")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${PROJECT_DESCRIPTION}")
# The long description, wrapped as Debian's control files want it (lines under 80 columns).
set(CPACK_PACKAGE_DESCRIPTION [=[PlanSight builds optimization strategies for a slow PostgreSQL query, runs
the query under each of them, proves that each returns the same rows as the
baseline, and shows plans, timings, sizes and costs side by side, in a window
or on the command line. Sessions are kept in a local history and export to
JSON, CSV and PDF.

With the PostgreSQL 15 server installed, it builds an embedded demo cluster
with a synthetic gallery database.]=])
set(CPACK_RESOURCE_FILE_LICENSE ${PROJECT_SOURCE_DIR}/LICENSE)
set(CPACK_STRIP_FILES ON)
set(CPACK_PACKAGE_CHECKSUM SHA256)

set(CPACK_DEBIAN_PACKAGE_MAINTAINER "The PlanSight developers")
set(CPACK_DEBIAN_PACKAGE_SECTION database)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "https://github.com/plansight/plansight")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
# Depends: the shared libraries the installed program links (Qt 6 Core, Gui, Widgets, PrintSupport, QCustomPlot,
# libpq, SQLite, zlib, hiredis, Xapian, toml++), as dpkg-shlibdeps finds them; without it, the same list by hand.
find_program(PLANSIGHT_DPKG_SHLIBDEPS dpkg-shlibdeps)
if(PLANSIGHT_DPKG_SHLIBDEPS)
    set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
else()
    set(CPACK_DEBIAN_PACKAGE_DEPENDS "libqt6core6 (>= 6.4), libqt6gui6 (>= 6.4), libqt6widgets6 (>= 6.4), \
libqt6printsupport6 (>= 6.4), libqcustomplot2.1-qt6, libpq5, libsqlite3-0, zlib1g, libhiredis0.14, libxapian30, libtomlplusplus3")
endif()
# The embedded demo runs the installed PostgreSQL server (initdb, pg_ctl; pg_trgm and btree_gin come with it).
# redis-server: the p2-redis cache strategy runs its own on the demo (or uses --redis).
# xapian-tools: the p10-search strategy runs its own xapian-tcpsrv on the demo (or uses --search).
# HypoPG 1.4 or later lets strategies be measured without applying them in turn (Debian 12 ships 1.3.1).
# postgresql-15-rum: the x-rum strategy's index (the extension is created in the demo's database when it is applied).
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "postgresql-15 | postgresql, redis-server, xapian-tools")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "postgresql-15-hypopg, postgresql-15-cron, postgresql-15-rum")
include(CPack)
