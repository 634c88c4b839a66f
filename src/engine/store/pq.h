/* SPDX-License-Identifier: Apache-2.0 */
/* libpq, loaded with dlopen when netkit db runs: the other tools do not
 * pay for it (and its own dependencies) at every start. The functions
 * netkit db uses, by their libpq names. */
#ifndef NETKIT_ENGINE_STORE_PQ_H
#define NETKIT_ENGINE_STORE_PQ_H

#include <libpq-fe.h>

struct pq {
	void *so;
	PGconn *(*connectdb)(const char *);
	ConnStatusType (*status)(const PGconn *);
	char *(*error_message)(const PGconn *);
	PGresult *(*exec)(PGconn *, const char *);
	PGresult *(*exec_params)(PGconn *, const char *, int, const Oid *, const char *const *,
				 const int *, const int *, int);
	ExecStatusType (*result_status)(const PGresult *);
	char *(*result_error_message)(const PGresult *);
	char *(*getvalue)(const PGresult *, int, int);
	int (*ntuples)(const PGresult *);
	int (*getisnull)(const PGresult *, int, int);
	int (*put_copy_data)(PGconn *, const char *, int);
	int (*put_copy_end)(PGconn *, const char *);
	PGresult *(*get_result)(PGconn *);
	void (*clear)(PGresult *);
	void (*finish)(PGconn *);
};

/* 0, or -1 with dlerror()'s words in msg. */
int pq_load(struct pq *pq, char *msg, size_t len);

#endif
