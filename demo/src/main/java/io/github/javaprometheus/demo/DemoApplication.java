package io.github.javaprometheus.demo;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.cache.annotation.EnableCaching;

/** The django_demo of django-prometheus: app on 8000, dedicated exporter on 8001. */
@SpringBootApplication
@EnableCaching
public class DemoApplication {
  public static void main(String[] args) {
    SpringApplication.run(DemoApplication.class, args);
  }
}
