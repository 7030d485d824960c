/**
 * Multiprocess mode: metric values in memory-mapped files shared by many processes on one host,
 * in the file format of Python prometheus_client's multiprocess mode ({@link
 * io.github.javaprometheus.multiprocess.MultiprocessStore}), and the collector that serves their
 * merged view ({@link io.github.javaprometheus.multiprocess.MultiprocessCollector}).
 */
package io.github.javaprometheus.multiprocess;
