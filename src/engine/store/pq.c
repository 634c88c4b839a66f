/* SPDX-License-Identifier: Apache-2.0 */
/* libpq through dlopen (see pq.h). */
#include "engine/store/pq.h"

#include <dlfcn.h>
#include <stdio.h>

int pq_load(struct pq *pq, char *msg, size_t len)
{
	pq->so = dlopen("libpq.so.5", RTLD_NOW | RTLD_LOCAL);
	if (!pq->so) {
		snprintf(msg, len, "%s (Debian's libpq5)", dlerror());
		return -1;
	}
	static const char *const names[] = {"PQconnectdb",
					    "PQstatus",
					    "PQerrorMessage",
					    "PQexec",
					    "PQexecParams",
					    "PQresultStatus",
					    "PQresultErrorMessage",
					    "PQgetvalue",
					    "PQntuples",
					    "PQgetisnull",
					    "PQputCopyData",
					    "PQputCopyEnd",
					    "PQgetResult",
					    "PQclear",
					    "PQfinish"};
	void **slots[] = {(void **)&pq->connectdb,
			  (void **)&pq->status,
			  (void **)&pq->error_message,
			  (void **)&pq->exec,
			  (void **)&pq->exec_params,
			  (void **)&pq->result_status,
			  (void **)&pq->result_error_message,
			  (void **)&pq->getvalue,
			  (void **)&pq->ntuples,
			  (void **)&pq->getisnull,
			  (void **)&pq->put_copy_data,
			  (void **)&pq->put_copy_end,
			  (void **)&pq->get_result,
			  (void **)&pq->clear,
			  (void **)&pq->finish};
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		*slots[i] = dlsym(pq->so, names[i]);
		if (!*slots[i]) {
			snprintf(msg, len, "libpq: no %s", names[i]);
			return -1;
		}
	}
	return 0;
}
