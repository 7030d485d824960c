package io.github.javaprometheus.demo;

import org.springframework.data.jpa.repository.JpaRepository;

/** Spring Data's repository of {@link User}. */
public interface UserRepository extends JpaRepository<User, String> {}
