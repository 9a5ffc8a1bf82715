// SPDX-License-Identifier: GPL-2.0
/*
 * connrate: the benchmark's new-connection workload.
 *
 *   connrate server ADDR PORT THREADS
 *	THREADS threads, thread i listening on PORT + i and pinned to CPU
 *	i (modulo the CPUs there are), accept, read one byte, write it
 *	back and close (the server closes first, so no TIME_WAIT piles up
 *	on the client's ports). Runs until killed. A client pinned to CPU
 *	i that connects to PORT + i keeps its connections on that CPU: the
 *	scheduler's placement, which varies from run to run, never splits
 *	one exchange over two CPUs.
 *
 *   connrate client ADDR PORT MS [CPU]
 *	For MS milliseconds, one connection after the other: connect, write
 *	one byte, read the byte back, read the server's FIN, close. Pinned
 *	to CPU if given. Prints "connects C failed F per_s R":
 *	C connections completed, F that failed (refused, reset, timed out:
 *	with the limits above the load there must be none), R = C per second
 *	of the run.
 *
 * Exit status: 0 when the run went as asked, 1 on a system error, 2 on
 * usage error.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <pthread.h>
#include <sched.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "../selftests/pkt.h"	/* die(), number() */

static void usage(void)
{
	fprintf(stderr,
		"usage: connrate server ADDR PORT THREADS\n"
		"       connrate client ADDR PORT MS [CPU]\n");
	exit(2);
}

static socklen_t parse_addr(const char *addr, const char *port,
			    struct sockaddr_storage *ss)
{
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;
	struct sockaddr_in *s4 = (struct sockaddr_in *)ss;
	in_port_t p = htons(number(port, 1, 65535));

	memset(ss, 0, sizeof(*ss));
	if (inet_pton(AF_INET, addr, &s4->sin_addr) == 1) {
		s4->sin_family = AF_INET;
		s4->sin_port = p;
		return sizeof(*s4);
	}
	if (inet_pton(AF_INET6, addr, &s6->sin6_addr) == 1) {
		s6->sin6_family = AF_INET6;
		s6->sin6_port = p;
		return sizeof(*s6);
	}
	usage();
	return 0;
}

static void pin(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set))
		die("sched_setaffinity");
}

struct listener {
	int fd;
	int cpu;
};

static void *serve(void *arg)
{
	const struct listener *l = arg;
	int lfd = l->fd;
	char byte;

	pin(l->cpu);
	for (;;) {
		int fd = accept(lfd, NULL, NULL);

		if (fd < 0) {
			if (errno == EINTR || errno == ECONNABORTED)
				continue;
			die("accept");
		}
		/* A client gone away needs no answer. */
		if (read(fd, &byte, 1) == 1)
			(void)!write(fd, &byte, 1);
		close(fd);
	}
	return NULL;
}

static int server(const char *addr, const char *port, int threads)
{
	struct listener l[64];
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	long first = number(port, 1, 65535);
	pthread_t tid;
	int i;

	if (first + threads - 1 > 65535 || cpus < 1)
		usage();
	for (i = 0; i < threads; i++) {
		struct sockaddr_storage ss;
		char p[24];
		socklen_t len;
		int one = 1;

		snprintf(p, sizeof(p), "%ld", first + i);
		len = parse_addr(addr, p, &ss);
		l[i].cpu = i % cpus;
		l[i].fd = socket(ss.ss_family, SOCK_STREAM, 0);
		if (l[i].fd < 0)
			die("socket");
		if (setsockopt(l[i].fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)))
			die("SO_REUSEADDR");
		if (bind(l[i].fd, (struct sockaddr *)&ss, len))
			die("bind");
		if (listen(l[i].fd, 4096))
			die("listen");
	}
	for (i = 1; i < threads; i++)
		if (pthread_create(&tid, NULL, serve, &l[i]))
			die("pthread_create");
	serve(&l[0]);
	return 0;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* One connection's exchange; 0 when it went through. */
static int exchange(const struct sockaddr_storage *ss, socklen_t len)
{
	struct timeval tv = { .tv_sec = 3 };
	char byte = 'x';
	int fd, ok;

	fd = socket(ss->ss_family, SOCK_STREAM, 0);
	if (fd < 0)
		die("socket");
	/* A refused SYN is dropped by default: give up as a failure. */
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	ok = !connect(fd, (const struct sockaddr *)ss, len) &&
	     write(fd, &byte, 1) == 1 && read(fd, &byte, 1) == 1 &&
	     read(fd, &byte, 1) == 0;
	close(fd);
	return ok ? 0 : -1;
}

static int client(const char *addr, const char *port, long ms, int cpu)
{
	struct sockaddr_storage ss;
	socklen_t len = parse_addr(addr, port, &ss);
	long done = 0, failed = 0;
	double start, end, t;

	if (cpu >= 0)
		pin(cpu);
	start = now();
	end = start + ms / 1000.0;
	do {
		if (exchange(&ss, len))
			failed++;
		else
			done++;
		t = now();
	} while (t < end);
	printf("connects %ld failed %ld per_s %.0f\n", done, failed, done / (t - start));
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 5 && !strcmp(argv[1], "server"))
		return server(argv[2], argv[3], number(argv[4], 1, 64));
	if ((argc == 5 || argc == 6) && !strcmp(argv[1], "client"))
		return client(argv[2], argv[3], number(argv[4], 1, 3600000),
			      argc == 6 ? (int)number(argv[5], 0, 1023) : -1);
	usage();
	return 2;
}
